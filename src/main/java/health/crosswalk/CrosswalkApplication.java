package health.crosswalk;

import health.crosswalk.audit.AuditCommandLine;
import health.crosswalk.backup.BackupCommandLine;
import health.crosswalk.hospital.HospitalCommandLine;
import health.crosswalk.migration.ImportCommandLine;
import health.crosswalk.storage.DatabaseCommandLine;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchClientAutoConfiguration;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration;
import org.springframework.boot.autoconfigure.quartz.QuartzAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.autoconfigure.thymeleaf.ThymeleafAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Starts Crosswalk: a FHIR R4 server for networks of hospitals.
 */
@SpringBootApplication(exclude = { HibernateJpaAutoConfiguration.class, ThymeleafAutoConfiguration.class,
		QuartzAutoConfiguration.class, ElasticsearchClientAutoConfiguration.class,
		ElasticsearchRestClientAutoConfiguration.class, UserDetailsServiceAutoConfiguration.class })
@ConfigurationPropertiesScan
public class CrosswalkApplication {

	public static void main(String[] args) {
		if (HospitalCommandLine.handles(args)) {
			System.exit(HospitalCommandLine.run(CrosswalkApplication.class, args));
		}
		if (DatabaseCommandLine.handles(args)) {
			System.exit(DatabaseCommandLine.run(CrosswalkApplication.class, args));
		}
		if (AuditCommandLine.handles(args)) {
			System.exit(AuditCommandLine.run(CrosswalkApplication.class, args));
		}
		if (BackupCommandLine.handles(args)) {
			System.exit(BackupCommandLine.run(args));
		}
		if (ImportCommandLine.handles(args)) {
			System.exit(ImportCommandLine.run(CrosswalkApplication.class, args));
		}
		SpringApplication.run(CrosswalkApplication.class, args);
	}

}
