package health.crosswalk.profiles;

import java.util.Map;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;

/**
 * Enforces the profiles on every client write, including each entry of transaction and
 * batch bundles, and publishes them in the CapabilityStatement. Enforcement runs at
 * {@code STORAGE_PRECOMMIT_*}: inside the write's transaction (a refusal rolls it back,
 * with the whole bundle), and after {@code urn:uuid} references of a transaction have
 * been resolved to the ids they point to, which the profiles' rules need. Registered on
 * HAPI's JPA interceptor service.
 */
@Interceptor
final class ProfileHooks {

	private final ProfileValidation validation;

	private final Map<String, String> profileByType;

	/**
	 * @param validation the validation to enforce, or null to publish the profiles only
	 * @param profileByType the profile of each type
	 */
	ProfileHooks(ProfileValidation validation, Map<String, String> profileByType) {
		this.validation = validation;
		this.profileByType = profileByType;
	}

	@Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
	void created(IBaseResource resource, RequestDetails request) {
		enforce(resource, request);
	}

	@Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
	void updated(IBaseResource previous, IBaseResource resource, RequestDetails request) {
		enforce(resource, request);
	}

	@Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
	void capabilityStatement(IBaseConformance capabilityStatement) {
		if (capabilityStatement instanceof CapabilityStatement statement) {
			for (CapabilityStatementRestResourceComponent resource : statement.getRestFirstRep().getResource()) {
				String profile = this.profileByType.get(resource.getType());
				if (profile != null && resource.getSupportedProfile()
					.stream()
					.noneMatch((supported) -> profile.equals(supported.getValue()))) {
					resource.addSupportedProfile(profile);
				}
			}
		}
	}

	private void enforce(IBaseResource resource, RequestDetails request) {
		// The server's own writes (hospital Organizations,
		// search parameters) are trusted.
		if (this.validation != null && request != null && !(request instanceof SystemRequestDetails)) {
			this.validation.enforce(resource);
		}
	}

}
