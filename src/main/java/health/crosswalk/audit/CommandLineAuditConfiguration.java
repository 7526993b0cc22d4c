package health.crosswalk.audit;

import ca.uhn.fhir.context.FhirContext;
import health.crosswalk.security.HospitalDirectory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnNotWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The audit trail of the jar's command line (no web server): its registry commands are
 * recorded like administrative requests.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnNotWebApplication
@ConditionalOnProperty(prefix = "crosswalk.audit", name = "enabled", matchIfMissing = true)
class CommandLineAuditConfiguration {

	@Bean
	CommandLineRecorder commandLineRecorder(FhirContext fhir, HospitalDirectory hospitals, AuditProperties properties,
			JdbcTemplate jdbc) {
		return new CommandLineRecorder(AuditConfiguration.eventFactory(fhir, hospitals, properties),
				new AuditStore(jdbc, new AuditText()));
	}

}
