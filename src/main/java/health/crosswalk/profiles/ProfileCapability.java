package health.crosswalk.profiles;

import java.util.Map;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import health.crosswalk.server.Pipeline;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;

/**
 * Publishes the profile of each type as a supported profile in the CapabilityStatement.
 * Registered on the RestfulServer.
 */
@Interceptor
final class ProfileCapability {

	private final Map<String, String> profileByType;

	/**
	 * @param profileByType the profile of each type
	 */
	ProfileCapability(Map<String, String> profileByType) {
		this.profileByType = profileByType;
	}

	@Hook(value = Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED, order = Pipeline.DESCRIBE)
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

}
