package health.crosswalk.security;

import java.io.IOException;
import java.util.List;

import ca.uhn.fhir.jpa.partition.IRequestPartitionHelperSvc;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.crosswalk.server.Pipeline;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.RequestMatcher;

import static org.springframework.security.web.util.matcher.AntPathRequestMatcher.antMatcher;

@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class SecurityConfiguration {

	static final String SMART_CONFIGURATION = "/.well-known/smart-configuration";

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http, ApiKeyStore apiKeys, HospitalDirectory hospitals,
			SecurityProperties properties) throws Exception {
		ApiKeyAuthenticator keyAuthenticator = new ApiKeyAuthenticator(apiKeys);
		JwtAuthenticator jwtAuthenticator = new JwtAuthenticator(jwtDecoder(properties.jwt()), properties.jwt(),
				hospitals);
		AuthenticationManagerResolver<HttpServletRequest> bearer = (request) -> (authentication) -> {
			String token = ((BearerTokenAuthenticationToken) authentication).getToken();
			CrosswalkPrincipal principal = token.startsWith(ApiKeyFormat.PREFIX) ? keyAuthenticator.authenticate(token)
					: jwtAuthenticator.authenticate(token);
			// Kept on the request for the audit record written as the request ends.
			Principals.bind(request, principal);
			return new CrosswalkAuthentication(principal);
		};
		SecurityResponses responses = new SecurityResponses();
		return http.csrf((csrf) -> csrf.disable())
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache((cache) -> cache.disable())
			// No sessions, so nothing to log out of: one filter fewer a request. The
			// servlet-API filter stays: Actuator asks the request for the caller's roles
			// before it shows health details.
			.logout((logout) -> logout.disable())
			// Plain path matchers: the string form would consult Spring MVC's handler
			// mappings on every request, though Spring MVC does not serve the FHIR API.
			.authorizeHttpRequests((requests) -> requests
				.requestMatchers(get("/fhir/metadata"), get(SMART_CONFIGURATION), get("/fhir" + SMART_CONFIGURATION),
						get("/actuator/health"), get("/actuator/health/**"), get("/actuator/info"))
				.permitAll()
				.requestMatchers(antMatcher("/error"))
				.permitAll()
				.requestMatchers(get("/actuator/prometheus"))
				.hasAnyRole(Role.MONITOR.code(), Role.ADMIN.code())
				.requestMatchers(antMatcher("/admin/linkage/**"))
				.hasAnyRole(Role.ADMIN.code(), Role.STEWARD.code())
				.requestMatchers(antMatcher("/admin/**"))
				.hasRole(Role.ADMIN.code())
				.anyRequest()
				.authenticated())
			.oauth2ResourceServer((resourceServer) -> resourceServer.authenticationManagerResolver(bearer)
				.authenticationEntryPoint(responses)
				.accessDeniedHandler(responses))
			.exceptionHandling(
					(exceptions) -> exceptions.authenticationEntryPoint(responses).accessDeniedHandler(responses))
			.build();
	}

	/**
	 * No Micrometer observation of each of Spring Security's filters, authentications and
	 * authorizations: with Actuator's registry present, Spring Security would otherwise
	 * wrap each of the dozen filters every request passes in an observation of its own,
	 * 0.5-1 % of a read's CPU samples and 1-2 % of a count's in the benchmark's profiles,
	 * for series nothing reads. Each request is still timed as a whole
	 * ({@code http_server_requests_seconds}).
	 */
	@Bean
	SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

	/**
	 * Spring Security's chain without the handler-mapping lookup in front of it: see
	 * {@link PlainSecurityFilterChain}. Static, as a post-processor of bean definitions.
	 * @return the post-processor
	 */
	@Bean
	static BeanFactoryPostProcessor plainSecurityFilterChain() {
		return new PlainSecurityFilterChain();
	}

	@Bean
	SmartInitializingSingleton fhirSecurityHooks(Pipeline pipeline, IRequestPartitionHelperSvc partitions,
			HospitalDirectory hospitals, JdbcTemplate jdbc, SecurityProperties properties) {
		return () -> {
			pipeline.add(new SecurityCapability(properties));
			FhirAccessPolicy policy = new FhirAccessPolicy(hospitals, partitions::isResourcePartitionable);
			SearchPageOwners pageOwners = new SearchPageOwners(jdbc);
			pipeline.add(new FhirRequestHooks(policy, pageOwners));
			pipeline.add(new FhirStorageHooks(policy, pageOwners));
		};
	}

	@Bean
	ServletRegistrationBean<SmartConfigurationServlet> smartConfiguration(SecurityProperties properties,
			ObjectMapper json) throws IOException {
		ServletRegistrationBean<SmartConfigurationServlet> registration = new ServletRegistrationBean<>(
				new SmartConfigurationServlet(properties, json), SMART_CONFIGURATION, "/fhir" + SMART_CONFIGURATION);
		registration.setName("smartConfiguration");
		return registration;
	}

	static JwtDecoder jwtDecoder(SecurityProperties.Jwt settings) {
		if (!settings.enabled()) {
			return null;
		}
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(settings.jwkSetUri().toString()).build();
		OAuth2TokenValidator<Jwt> audience = new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
				(aud) -> aud != null && aud.contains(settings.audience()));
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
				JwtValidators.createDefaultWithIssuer(settings.issuer()), audience));
		return decoder;
	}

	private static RequestMatcher get(String pattern) {
		return antMatcher(HttpMethod.GET, pattern);
	}

}
