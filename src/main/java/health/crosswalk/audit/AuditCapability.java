package health.crosswalk.audit;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceAndListParam;
import ca.uhn.fhir.rest.param.StringAndListParam;
import ca.uhn.fhir.rest.param.TokenAndListParam;
import health.crosswalk.server.Pipeline;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceSearchParamComponent;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;

/**
 * Makes the CapabilityStatement list, for AuditEvent, exactly the search parameters
 * {@link AuditEventProvider} answers. HAPI builds the list from its search-parameter
 * registry, as for its own JPA provider, which Crosswalk replaces for this type.
 */
@Interceptor
final class AuditCapability {

	private static final Map<Class<?>, SearchParamType> TYPES = Map.of(DateRangeParam.class, SearchParamType.DATE,
			ReferenceAndListParam.class, SearchParamType.REFERENCE, StringAndListParam.class, SearchParamType.STRING,
			TokenAndListParam.class, SearchParamType.TOKEN);

	private final List<CapabilityStatementRestResourceSearchParamComponent> parameters = answered();

	@Hook(value = Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED, order = Pipeline.DESCRIBE)
	void generated(IBaseConformance statement) {
		if (statement instanceof CapabilityStatement capabilities) {
			advertise(capabilities);
		}
	}

	void advertise(CapabilityStatement capabilities) {
		for (CapabilityStatementRestComponent rest : capabilities.getRest()) {
			for (CapabilityStatementRestResourceComponent resource : rest.getResource()) {
				if ("AuditEvent".equals(resource.getType())) {
					resource.setSearchParam(this.parameters.stream().map((parameter) -> parameter.copy()).toList());
				}
			}
		}
	}

	/**
	 * The parameters of the provider's search method, from its annotations.
	 */
	static List<CapabilityStatementRestResourceSearchParamComponent> answered() {
		List<CapabilityStatementRestResourceSearchParamComponent> answered = new ArrayList<>();
		for (Method method : AuditEventProvider.class.getDeclaredMethods()) {
			if (method.isAnnotationPresent(Search.class)) {
				for (Parameter parameter : method.getParameters()) {
					OptionalParam param = parameter.getAnnotation(OptionalParam.class);
					if (param != null) {
						SearchParamType type = TYPES.get(parameter.getType());
						if (type == null) {
							throw new IllegalStateException("AuditEventProvider's parameter '" + param.name()
									+ "' has a type the CapabilityStatement cannot describe: " + parameter.getType());
						}
						answered.add(new CapabilityStatementRestResourceSearchParamComponent().setName(param.name())
							.setType(type));
					}
				}
			}
		}
		return List.copyOf(answered);
	}

}
