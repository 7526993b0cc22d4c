package health.crosswalk.migration;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;

/**
 * A MediPact store brought into the network: its {@code hospitals} registered (as they
 * were: active or suspended), and the records its {@code hospital_linkages} join under
 * one of its {@code patient_identities} linked under one Crosswalk UPI by steward
 * decisions.
 *
 * <ul>
 * <li>MediPact holds no patient data of its own: each linkage names a hospital's patient
 * id. The import finds that Patient among the hospital's records in Crosswalk (a search
 * by identifier value, with a read-only key of that hospital) and links the records of
 * one MediPact UPI to the Crosswalk UPI of the first found, through
 * {@code /admin/linkage} with a steward key issued for the run, each decision with its
 * reason ({@code MediPact UPI …}) on the link history. Records already under one UPI are
 * left as they are, so a second run changes nothing.</li>
 * <li>A linkage whose Patient is not in Crosswalk yet is refused with that reason; import
 * the hospital's patients, then run it again.</li>
 * <li>API keys: MediPact's key hashes are not carried over (a different scheme, and a
 * secret Crosswalk never saw): each hospital's key is listed as skipped, to be issued
 * with {@code key create}. Disconnected and deleted linkages, deleted hospitals and
 * identities are skipped with the reason.</li>
 * </ul>
 */
final class MediPactImport {

	static final List<String> TABLES = List.of("hospitals", "patient_identities", "hospital_linkages");

	/** Keys the run holds: a steward key, and a read-only key per hospital. */
	interface Keys {

		String steward();

		String reader(String hospitalSlug);

	}

	private static final ObjectMapper JSON = new ObjectMapper();

	private final FhirContext fhir;

	private final String baseUrl;

	private final String fhirBaseUrl;

	private final String upiSystem;

	private final Function<String, Boolean> hospitalExists;

	private final Function<String, List<String>> identifierSystems;

	private final Registrar registrar;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	/** Registers a hospital. */
	interface Registrar {

		void register(String slug, String name, boolean suspended);

	}

	MediPactImport(FhirContext fhir, String baseUrl, String upiSystem, Function<String, Boolean> hospitalExists,
			Function<String, List<String>> identifierSystems, Registrar registrar) {
		this.identifierSystems = identifierSystems;
		this.fhir = fhir;
		this.baseUrl = baseUrl;
		this.fhirBaseUrl = baseUrl + "/fhir";
		this.upiSystem = upiSystem;
		this.hospitalExists = hospitalExists;
		this.registrar = registrar;
	}

	ImportReport run(Map<String, List<Map<String, Object>>> tables, Keys keys, boolean dryRun) throws IOException {
		long start = System.nanoTime();
		ImportReport report = new ImportReport("(the network)", "medipact", dryRun);
		tables.forEach((table, rows) -> report.rows(table, rows.size()));
		ZoneId utc = ZoneId.of("UTC");
		Map<String, String> slugs = new HashMap<>();
		int position = 0;
		for (Map<String, Object> row : tables.getOrDefault("hospitals", List.of())) {
			position++;
			LegacyValues values = new LegacyValues(row, utc);
			String id = values.text("hospital_id");
			String where = "hospitals:" + position;
			report.read("Hospital");
			String slug = slugOf(id);
			if (slug == null) {
				report.refused(where, "Hospital", "hospitals/" + id, "hospital_id '" + id + "' gives no slug");
				continue;
			}
			String status = lower(values.text("status"), "active");
			if (status.equals("deleted")) {
				report.skipped(where, "Hospital", "hospitals/" + id, "deleted in MediPact");
				continue;
			}
			if (slugs.containsValue(slug)) {
				report.refused(where, "Hospital", "hospitals/" + id, "hospital_id '" + id + "' gives the slug '" + slug
						+ "', which another hospital_id of the store gives too");
				continue;
			}
			boolean exists = this.hospitalExists.apply(slug);
			if (!exists && !dryRun) {
				try {
					// Anything but active (suspended, inactive, disabled) starts
					// suspended.
					this.registrar.register(slug, (values.text("name") != null) ? values.text("name") : id,
							!status.equals("active"));
				}
				catch (RuntimeException ex) {
					report.refused(where, "Hospital", "hospitals/" + id, ex.getMessage());
					continue;
				}
			}
			slugs.put(id, slug);
			report.written("Hospital", !exists);
			report.skipped(where, null, "hospitals/" + id + "/api_key",
					"MediPact's key hash is not carried over: issue hospital '" + slug
							+ "' a key with 'key create' and give it to its systems");
		}
		Map<String, String> identityStatus = new HashMap<>();
		for (Map<String, Object> row : tables.getOrDefault("patient_identities", List.of())) {
			LegacyValues values = new LegacyValues(row, utc);
			identityStatus.put(values.text("upi"), lower(values.text("status"), "active"));
		}
		Map<String, List<Member>> groups = new LinkedHashMap<>();
		position = 0;
		for (Map<String, Object> row : tables.getOrDefault("hospital_linkages", List.of())) {
			position++;
			LegacyValues values = new LegacyValues(row, utc);
			String where = "hospital_linkages:" + position;
			String upi = values.text("upi");
			String key = "hospital_linkages/" + values.text("id");
			report.read("Patient link");
			String status = lower(values.text("status"), "active");
			if (!status.equals("active")) {
				report.skipped(where, "Patient link", key, "the linkage is " + status + " in MediPact");
				continue;
			}
			if (!"active".equals(identityStatus.get(upi))) {
				report.skipped(where, "Patient link", key,
						"MediPact UPI " + upi + " is " + identityStatus.getOrDefault(upi, "not in patient_identities"));
				continue;
			}
			String slug = slugs.get(values.text("hospital_id"));
			if (slug == null) {
				report.refused(where, "Patient link", key,
						"hospital_id '" + values.text("hospital_id") + "' names no hospital that was imported");
				continue;
			}
			if (values.text("hospital_patient_id") == null) {
				report.refused(where, "Patient link", key, "hospital_patient_id is empty");
				continue;
			}
			String method = lower(values.text("verification_method"), "hospital_verification");
			groups.computeIfAbsent(upi, (k) -> new ArrayList<>())
				.add(new Member(where, key, slug, values.text("hospital_patient_id"),
						method + (values.flag("verified", false) ? ", verified" : ", not verified")));
		}
		if (dryRun) {
			// Nothing is looked up: each linkage is counted as a link to make.
			groups.values().forEach((members) -> members.forEach((member) -> report.written("Patient link", true)));
		}
		else {
			Map<String, String> claimed = new HashMap<>();
			try {
				for (Map.Entry<String, List<Member>> group : groups.entrySet()) {
					link(group.getKey(), group.getValue(), keys, claimed, report);
				}
			}
			catch (IOException ex) {
				// The links made stay; a second run goes on from there.
				report.stopped(ex.getMessage());
			}
		}
		report.took(Duration.ofNanos(System.nanoTime() - start));
		return report;
	}

	private record Member(String where, String key, String hospital, String patientId, String evidence) {
	}

	private record Found(Member member, String id, String upi) {
	}

	private void link(String mediPactUpi, List<Member> members, Keys keys, Map<String, String> claimed,
			ImportReport report) throws IOException {
		List<Found> found = new ArrayList<>();
		for (Member member : members) {
			String record = member.hospital() + "|" + member.patientId();
			String other = claimed.putIfAbsent(record, mediPactUpi);
			if (other != null && !other.equals(mediPactUpi)) {
				report.refused(member.where(), "Patient link", member.key(),
						"patient '" + member.patientId() + "' of hospital '" + member.hospital()
								+ "' is also under MediPact UPI " + other + ": a record belongs to one person");
				continue;
			}
			List<String> systems = this.identifierSystems.apply(member.hospital());
			if (systems.isEmpty()) {
				report.refused(member.where(), "Patient link", member.key(),
						"hospital '" + member.hospital()
								+ "' has no identifier system registered, so its patient ids cannot be told from other "
								+ "namespaces: register its MRN system, then run again");
				continue;
			}
			Bundle matches;
			try {
				IGenericClient client = this.fhir.newRestfulGenericClient(this.fhirBaseUrl);
				client.registerInterceptor(new BearerTokenAuthInterceptor(keys.reader(member.hospital())));
				matches = new Bundle();
				for (String system : systems) {
					matches.getEntry()
						.addAll(client.search()
							.forResource(Patient.class)
							.where(Patient.IDENTIFIER.exactly().systemAndCode(system, member.patientId()))
							.returnBundle(Bundle.class)
							.execute()
							.getEntry());
				}
			}
			catch (RuntimeException ex) {
				// A suspended hospital's records cannot be read, nor linked.
				report.refused(member.where(), "Patient link", member.key(), "could not look up the patient at "
						+ "hospital '" + member.hospital() + "': " + ex.getMessage());
				continue;
			}
			// The hospital's own records only: sharing may add linked ones.
			matches.getEntry()
				.removeIf((entry) -> entry.getFullUrl() != null && entry.getFullUrl().startsWith("urn:crosswalk:"));
			if (matches.getEntry().size() != 1) {
				report.refused(member.where(), "Patient link", member.key(),
						(matches.getEntry().isEmpty() ? "no Patient" : matches.getEntry().size() + " Patients")
								+ " with identifier '" + member.patientId() + "' at hospital '" + member.hospital()
								+ "' in its identifier systems " + systems
								+ ": import the hospital's patients (one record per patient id), then run again");
				continue;
			}
			Patient patient = (Patient) matches.getEntryFirstRep().getResource();
			String upi = patient.getIdentifier()
				.stream()
				.filter((identifier) -> this.upiSystem.equals(identifier.getSystem()))
				.map(Identifier::getValue)
				.findFirst()
				.orElse(null);
			found.add(new Found(member, patient.getIdElement().getIdPart(), upi));
		}
		if (found.isEmpty()) {
			return;
		}
		String target = found.get(0).upi();
		if (target == null) {
			for (Found record : found) {
				report.refused(record.member().where(), "Patient link", record.member().key(),
						"Patient/" + found.get(0).id() + " carries no UPI: is linkage off?");
			}
			return;
		}
		for (Found record : found) {
			if (target.equals(record.upi())) {
				report.written("Patient link", false);
				continue;
			}
			String reason = "MediPact UPI " + mediPactUpi + " (" + record.member().evidence() + ")";
			HttpResponse<String> answer = post(
					"/admin/linkage/records/" + record.member().hospital() + "/"
							+ URLEncoder.encode(record.id(), StandardCharsets.UTF_8) + "/link",
					keys.steward(), JSON.writeValueAsString(Map.of("upi", target, "reason", reason)));
			if (answer.statusCode() == 200) {
				report.written("Patient link", true);
			}
			else if (answer.statusCode() >= 400 && answer.statusCode() < 500) {
				report.refused(record.member().where(), "Patient link", record.member().key(),
						answer.statusCode() + " " + answer.body());
			}
			else {
				throw new IOException("The linkage API answered " + answer.statusCode() + ": " + answer.body());
			}
		}
	}

	private HttpResponse<String> post(String path, String key, String body) throws IOException {
		try {
			return this.http.send(HttpRequest.newBuilder(URI.create(this.baseUrl + path))
				.header("Authorization", "Bearer " + key)
				.header("Content-Type", "application/json")
				.timeout(Duration.ofMinutes(1))
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted", ex);
		}
	}

	/** A registry slug from MediPact's hospital id: lower case, dashes, at most 63. */
	static String slugOf(String hospitalId) {
		if (hospitalId == null) {
			return null;
		}
		String slug = hospitalId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
		if (slug.length() > 63) {
			slug = slug.substring(0, 63).replaceAll("-+$", "");
		}
		return slug.isEmpty() ? null : slug;
	}

	private static String lower(String text, String absent) {
		return (text != null) ? text.toLowerCase(Locale.ROOT) : absent;
	}

}
