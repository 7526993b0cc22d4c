package health.crosswalk.linkage;

import java.util.UUID;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import health.crosswalk.linkage.LinkStore.RecordRef;
import health.crosswalk.security.CrosswalkPrincipal;
import health.crosswalk.security.Principals;
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

	private final LinkageService linkage;

	private final String upiSystem;

	LinkageHooks(LinkageService linkage, String upiSystem) {
		this.linkage = linkage;
		this.upiSystem = upiSystem;
	}

	@Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
	void creating(IBaseResource resource, RequestDetails request) {
		if (resource instanceof Patient patient && record(request, patient) != null && upiIdentifier(patient) != null) {
			throw LinkageError.upiNotSettable(this.upiSystem);
		}
	}

	@Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
	void updating(IBaseResource previous, IBaseResource resource, RequestDetails request) {
		if (resource instanceof Patient patient) {
			RecordRef record = record(request, patient);
			Identifier upi = upiIdentifier(patient);
			if (record == null || upi == null) {
				return;
			}
			boolean unchanged = this.linkage.upiOf(record)
				.map(UUID::toString)
				.map(upi.getValue()::equals)
				.orElse(false);
			if (!unchanged) {
				throw LinkageError.upiNotSettable(this.upiSystem);
			}
			// The value the server gave, sent back: it lives in the link store, not the
			// record.
			patient.getIdentifier().remove(upi);
		}
	}

	@Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
	void created(IBaseResource resource, RequestDetails request) {
		link(resource, request);
	}

	@Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
	void updated(IBaseResource previous, IBaseResource resource, RequestDetails request) {
		link(resource, request);
	}

	@Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
	void deleted(IBaseResource resource, RequestDetails request) {
		if (resource instanceof Patient patient) {
			RecordRef record = record(request, patient);
			if (record != null) {
				this.linkage.remove(record, actor(request));
			}
		}
	}

	@Hook(Pointcut.STORAGE_PRESHOW_RESOURCES)
	void showing(IPreResourceShowDetails resources, RequestDetails request) {
		for (int i = 0; i < resources.size(); i++) {
			if (resources.getResource(i) instanceof Patient patient) {
				RecordRef record = record(request, patient);
				if (record != null && upiIdentifier(patient) == null) {
					this.linkage.upiOf(record)
						.ifPresent((upi) -> patient.addIdentifier()
							.setUse(Identifier.IdentifierUse.SECONDARY)
							.setSystem(this.upiSystem)
							.setValue(upi.toString()));
				}
			}
		}
	}

	private void link(IBaseResource resource, RequestDetails request) {
		if (resource instanceof Patient patient) {
			RecordRef record = record(request, patient);
			if (record != null) {
				this.linkage.assign(record, Principals.of(request).hospitalSlug(), patient, actor(request));
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

}
