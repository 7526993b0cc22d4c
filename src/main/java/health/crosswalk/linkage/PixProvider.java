package health.crosswalk.linkage;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.param.UriParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import health.crosswalk.linkage.LinkStore.RecordRef;
import health.crosswalk.security.CrosswalkPrincipal;
import health.crosswalk.security.HospitalDirectory;
import health.crosswalk.security.Principals;
import health.crosswalk.server.Disclosures;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

/**
 * IHE PIXm Mobile Patient Identifier Cross-reference Query (ITI-83):
 * {@code GET Patient/$ihe-pix?sourceIdentifier=system|value[&targetSystem=...]} answers
 * the identifiers the same person has at the network's hospitals, through the UPI. The
 * source is looked up among the caller's own hospital's patients; {@code targetId} is
 * given for records the caller can read, {@code targetIdentifier} for every record.
 */
public final class PixProvider {

	static final String OPERATION = "$ihe-pix";

	static final String SOURCE_IDENTIFIER = "sourceIdentifier";

	private final LinkStore store;

	private final DaoRegistry daos;

	private final HospitalDirectory hospitals;

	private final Set<String> trustedSystems;

	private final String upiSystem;

	PixProvider(LinkStore store, DaoRegistry daos, HospitalDirectory hospitals, Set<String> trustedSystems,
			String upiSystem) {
		this.store = store;
		this.daos = daos;
		this.hospitals = hospitals;
		this.trustedSystems = trustedSystems;
		this.upiSystem = upiSystem;
	}

	@Operation(name = OPERATION, idempotent = true, type = Patient.class)
	public Parameters pix(@OperationParam(name = SOURCE_IDENTIFIER, min = 1, max = 1) TokenParam sourceIdentifier,
			@OperationParam(name = "targetSystem", max = OperationParam.MAX_UNLIMITED) List<UriParam> targetSystems,
			RequestDetails request) {
		CrosswalkPrincipal principal = Principals.of(request);
		if (sourceIdentifier == null || sourceIdentifier.getSystem() == null || sourceIdentifier.getValue() == null) {
			throw new InvalidRequestException("sourceIdentifier must be given as system|value");
		}
		String system = sourceIdentifier.getSystem();
		if (!isKnown(system)) {
			throw LinkageError.unknownSourceDomain(system);
		}
		Set<String> targets = new LinkedHashSet<>();
		if (targetSystems != null) {
			for (UriParam target : targetSystems) {
				if (!isKnown(target.getValue())) {
					throw LinkageError.unknownTargetSystem(target.getValue());
				}
				targets.add(target.getValue());
			}
		}

		UUID upi = upiOf(system, sourceIdentifier.getValue(), request, principal);
		Parameters result = new Parameters();
		// An identifier several linked records share (a national number) is named once.
		Set<String> named = new HashSet<>();
		for (LinkStore.Linked linked : this.store.linked(upi)) {
			RecordRef record = linked.record();
			Patient patient = Records.read(this.daos, record);
			if (patient == null) {
				continue;
			}
			boolean own = record.partitionId() == principal.hospital().partitionId();
			Identifier source = null;
			Identifier firstNamed = null;
			for (Identifier identifier : patient.getIdentifier()) {
				boolean isSource = system.equals(identifier.getSystem())
						&& sourceIdentifier.getValue().equals(identifier.getValue());
				if (isSource) {
					source = identifier;
				}
				else if (identifier.hasSystem() && (targets.isEmpty() || targets.contains(identifier.getSystem()))
						&& named.add(identifier.getSystem() + "|" + identifier.getValue())) {
					result.addParameter()
						.setName("targetIdentifier")
						.setValue(identifier.copy().setType(null).setUse(null));
					firstNamed = (firstNamed != null) ? firstNamed : identifier;
				}
			}
			boolean byId = own && targets.isEmpty();
			if (byId) {
				result.addParameter().setName("targetId").setValue(new Reference("Patient/" + record.patientId()));
			}
			// Named in the audit record: the record the query asked about, and every
			// record the answer disclosed something of.
			Identifier namedBy = (source != null) ? source : firstNamed;
			if (firstNamed != null || byId || (own && source != null)) {
				Disclosures.patient(request, record.patientId(), (namedBy != null) ? namedBy.getSystem() : null,
						(namedBy != null) ? namedBy.getValue() : null, linked.hospital());
			}
		}
		if (targets.isEmpty() || targets.contains(this.upiSystem)) {
			if (!this.upiSystem.equals(system)) {
				result.addParameter()
					.setName("targetIdentifier")
					.setValue(new Identifier().setSystem(this.upiSystem).setValue(upi.toString()));
			}
		}
		return result;
	}

	private UUID upiOf(String system, String value, RequestDetails request, CrosswalkPrincipal principal) {
		if (this.upiSystem.equals(system)) {
			UUID upi = Records.upi(value);
			if (upi != null && !this.store.records(upi).isEmpty()) {
				return upi;
			}
			throw notFound(system, value);
		}
		IBundleProvider found = patients()
			.search(SearchParameterMap.newSynchronous("identifier", new TokenParam(system, value)), request);
		List<IBaseResource> matches = found.getResources(0, 2);
		if (matches.isEmpty()) {
			throw notFound(system, value);
		}
		String patientId = matches.get(0).getIdElement().getIdPart();
		return this.store.link(new RecordRef(principal.hospital().partitionId(), patientId))
			.map(LinkStore.Link::upi)
			.orElseThrow(() -> notFound(system, value));
	}

	private boolean isKnown(String system) {
		return system != null && (this.upiSystem.equals(system) || this.trustedSystems.contains(system)
				|| this.hospitals.ownerOfIdentifierSystem(system).isPresent());
	}

	private static ResourceNotFoundException notFound(String system, String value) {
		return new ResourceNotFoundException(
				"No patient of your hospital has the identifier " + system + "|" + value + " (sourceIdentifier)");
	}

	private IFhirResourceDao<Patient> patients() {
		return this.daos.getResourceDao(Patient.class);
	}

}
