package health.crosswalk.linkage;

import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import health.crosswalk.linkage.LinkStore.RecordRef;
import health.crosswalk.security.CrosswalkPrincipal;
import health.crosswalk.security.Principals;
import health.crosswalk.server.Pipeline;
import health.crosswalk.storage.BeforeCommit;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;

/**
 * Where linkage meets HAPI, on the JPA interceptor service: the UPI identifier is refused
 * from clients before storage ({@code STORAGE_PRESTORAGE_*}); every Patient write is
 * linked at {@code STORAGE_PRECOMMIT_*}, inside the write's transaction (so a rolled-back
 * write leaves no link) and after a transaction bundle's references are resolved; Patient
 * responses get their UPI at {@code STORAGE_PRESHOW_RESOURCES}.
 */
@Interceptor
final class LinkageHooks {

	/**
	 * Identifier system prefix naming a linked record at another hospital in
	 * Patient.link.
	 */
	static final String RECORD_SYSTEM_PREFIX = "urn:crosswalk:patient-record:";

	private final Links linkage;

	private final String upiSystem;

	private final boolean sharing;

	LinkageHooks(Links linkage, String upiSystem, boolean sharing) {
		this.linkage = linkage;
		this.upiSystem = upiSystem;
		this.sharing = sharing;
	}

	@Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = Pipeline.RESERVED)
	void creating(IBaseResource resource, RequestDetails request) {
		if (resource instanceof Patient patient && record(request, patient) != null) {
			if (upiIdentifier(patient) != null) {
				throw LinkageError.upiNotSettable(this.upiSystem);
			}
			patient.getLink().removeIf(LinkageHooks::computedLink);
		}
	}

	@Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, order = Pipeline.RESERVED)
	void updating(IBaseResource previous, IBaseResource resource, RequestDetails request) {
		if (resource instanceof Patient patient) {
			RecordRef record = record(request, patient);
			if (record == null) {
				return;
			}
			// Links to other hospitals' records are computed when read, never stored.
			patient.getLink().removeIf(LinkageHooks::computedLink);
			Identifier upi = upiIdentifier(patient);
			if (upi == null) {
				return;
			}
			boolean unchanged = this.linkage.upiOf(record)
				.map(UUID::toString)
				.map(upi.getValue()::equals)
				.orElse(false);
			if (!unchanged) {
				throw LinkageError.upiNotSettable(this.upiSystem);
			}
			// The value the server gave, sent back: it lives
			// in the link store, not the record.
			patient.getIdentifier().remove(upi);
		}
	}

	@Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED, order = Pipeline.LINKAGE)
	void created(IBaseResource resource, RequestDetails request) {
		link(resource, request);
	}

	@Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED, order = Pipeline.LINKAGE)
	void updated(IBaseResource previous, IBaseResource resource, RequestDetails request) {
		link(resource, request);
	}

	@Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED, order = Pipeline.LINKAGE)
	void deleted(IBaseResource resource, RequestDetails request) {
		if (resource instanceof Patient patient) {
			RecordRef record = record(request, patient);
			if (record != null) {
				this.linkage.remove(record, actor(request));
			}
		}
	}

	@Hook(value = Pointcut.STORAGE_PRESHOW_RESOURCES, order = Pipeline.LINKAGE)
	void showing(IPreResourceShowDetails resources, RequestDetails request) {
		Map<Patient, RecordRef> shown = new IdentityHashMap<>();
		for (int i = 0; i < resources.size(); i++) {
			if (resources.getResource(i) instanceof Patient patient) {
				RecordRef record = record(request, patient);
				if (record != null && upiIdentifier(patient) == null) {
					shown.put(patient, record);
				}
			}
		}
		if (shown.isEmpty()) {
			return;
		}
		// One statement for the page: every record shown is of the caller's hospital.
		int partitionId = shown.values().iterator().next().partitionId();
		Set<String> ids = new HashSet<>();
		shown.values().forEach((record) -> ids.add(record.patientId()));
		Map<String, LinkStore.Members> members = this.linkage.linkedTo(partitionId, ids);
		shown.forEach((patient, record) -> {
			LinkStore.Members found = members.get(record.patientId());
			if (found != null) {
				show(patient, record, found);
			}
		});
	}

	/**
	 * Adds the UPI, and with sharing on a {@code seealso} link per record of the same
	 * person at another hospital (named by identifier: it lives in another partition),
	 * and then {@code active} if the record does not state it.
	 */
	private void show(Patient patient, RecordRef record, LinkStore.Members members) {
		patient.addIdentifier()
			.setUse(Identifier.IdentifierUse.SECONDARY)
			.setSystem(this.upiSystem)
			.setValue(members.upi().toString());
		if (!this.sharing) {
			return;
		}
		for (LinkStore.Linked other : members.linked()) {
			RecordRef linked = other.record();
			if (linked.partitionId() != record.partitionId()) {
				String hospital = other.hospital();
				patient.addLink()
					.setType(Patient.LinkType.SEEALSO)
					.setOther(new org.hl7.fhir.r4.model.Reference()
						.setIdentifier(new Identifier().setSystem(RECORD_SYSTEM_PREFIX + hospital)
							.setValue(linked.patientId()))
						.setDisplay("Patient record at hospital " + hospital));
			}
		}
		if (patient.hasLink() && !patient.hasActive()) {
			// A Patient with links states whether it is active (PDQm's
			// iti-pdqm-linkstatus);
			// FHIR reads an absent active as active.
			patient.setActive(true);
		}
	}

	private static boolean computedLink(Patient.PatientLinkComponent link) {
		return link.hasOther() && link.getOther().hasIdentifier() && link.getOther().getIdentifier().hasSystem()
				&& link.getOther().getIdentifier().getSystem().startsWith(RECORD_SYSTEM_PREFIX);
	}

	private void link(IBaseResource resource, RequestDetails request) {
		if (resource instanceof Patient patient) {
			RecordRef record = record(request, patient);
			if (record != null) {
				String hospital = Principals.of(request).hospitalSlug();
				Patient written = patient.copy();
				String actor = actor(request);
				// Just before the commit, in the same transaction: in a bundle, PRECOMMIT
				// hooks run entry by entry, so linking at the Patient entry would hold
				// its blocking-key locks while every later entry is validated.
				BeforeCommit.add(this, List.of((Runnable) () -> this.linkage.assign(record, hospital, written, actor)),
						(links) -> links.forEach(Runnable::run));
			}
		}
	}

	private Identifier upiIdentifier(Patient patient) {
		return patient.getIdentifier()
			.stream()
			.filter((identifier) -> this.upiSystem.equals(identifier.getSystem()))
			.findFirst()
			.orElse(null);
	}

	/**
	 * The record a client's request touches, or null for internal requests and callers
	 * without a hospital.
	 */
	private static RecordRef record(RequestDetails request, Patient patient) {
		CrosswalkPrincipal principal = Principals.of(request);
		if (principal == null || !principal.hasHospital() || !patient.getIdElement().hasIdPart()) {
			return null;
		}
		return new RecordRef(principal.hospital().partitionId(), patient.getIdElement().getIdPart());
	}

	private static String actor(RequestDetails request) {
		CrosswalkPrincipal principal = Principals.of(request);
		return principal.credential() + ":" + principal.subject() + "@" + principal.hospitalSlug();
	}

	/**
	 * What the hooks need of linkage: the port {@link LinkageService} fills.
	 */
	interface Links {

		/** The UPI a record is linked to, if any. */
		Optional<UUID> upiOf(RecordRef record);

		/**
		 * The UPI of each of a hospital's records that has one, with every record linked
		 * to it.
		 */
		Map<String, LinkStore.Members> linkedTo(int partitionId, Collection<String> patientIds);

		/** Links a written Patient record, deterministically or by score. */
		UUID assign(RecordRef record, String hospitalSlug, Patient patient, String actor);

		/** Unlinks a deleted Patient record. */
		void remove(RecordRef record, String actor);

	}

}
