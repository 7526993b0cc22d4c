package health.crosswalk.security;

import java.net.URI;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import health.crosswalk.server.Pipeline;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestSecurityComponent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.UriType;

/**
 * Makes the CapabilityStatement say what callers may do: it lists only the operations the
 * access policy lets some role call (at system level, only the Bulk Data export), and
 * describes how to authenticate ({@code rest.security}: API keys, and SMART-on-FHIR with
 * its OAuth endpoints when access tokens are configured).
 */
@Interceptor
final class SecurityCapability {

	static final String SMART_SERVICE_SYSTEM = "http://terminology.hl7.org/CodeSystem/restful-security-service";

	static final String OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";

	private final SecurityProperties properties;

	SecurityCapability(SecurityProperties properties) {
		this.properties = properties;
	}

	@Hook(value = Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED, order = Pipeline.DESCRIBE)
	void generated(IBaseConformance statement) {
		if (statement instanceof CapabilityStatement capabilities) {
			describe(capabilities);
		}
	}

	void describe(CapabilityStatement capabilities) {
		for (CapabilityStatementRestComponent rest : capabilities.getRest()) {
			// System-level operations other than Bulk Data export ($meta,
			// $get-resource-counts, $expunge, ...) are refused to every caller.
			rest.getOperation().removeIf((operation) -> !FhirAccessPolicy.offersAtSystemLevel(operation.getName()));
			for (CapabilityStatementRestResourceComponent resource : rest.getResource()) {
				resource.getOperation()
					.removeIf((operation) -> !FhirAccessPolicy.offers(resource.getType(), operation.getName()));
			}
			rest.setSecurity(security());
		}
	}

	private CapabilityStatementRestSecurityComponent security() {
		CapabilityStatementRestSecurityComponent security = new CapabilityStatementRestSecurityComponent();
		SecurityProperties.Jwt jwt = this.properties.jwt();
		StringBuilder description = new StringBuilder(
				"Send Authorization: Bearer with an API key issued to your hospital (or to the network's auditors "
						+ "and administrators)");
		if (jwt.enabled()) {
			CodeableConcept service = new CodeableConcept();
			service.addCoding().setSystem(SMART_SERVICE_SYSTEM).setCode("SMART-on-FHIR").setDisplay("SMART-on-FHIR");
			security.addService(service);
			description.append(", or an access token of ").append(jwt.issuer()).append(" with SMART scopes");
			Extension uris = new Extension(OAUTH_URIS);
			add(uris, "authorize", this.properties.smart().authorizationEndpoint());
			add(uris, "token", this.properties.smart().tokenEndpoint());
			if (uris.hasExtension()) {
				security.addExtension(uris);
			}
		}
		security.setDescription(description.append('.').toString());
		return security;
	}

	private static void add(Extension uris, String name, URI value) {
		if (value != null && !value.toString().isBlank()) {
			uris.addExtension(name, new UriType(value.toString()));
		}
	}

}
