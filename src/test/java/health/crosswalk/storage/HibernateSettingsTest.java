package health.crosswalk.storage;

import java.time.Duration;

import org.hibernate.cfg.AvailableSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Hibernate as Crosswalk configures it: the schema validated, never changed, and slow
 * statements logged from the threshold of the settings.
 */
class HibernateSettingsTest {

	@Test
	void theSchemaIsValidatedAndSlowStatementsAreLogged() {
		assertThat(StorageConfiguration.HibernateSettings.forPostgres(Duration.ofMillis(250)))
			.containsEntry(AvailableSettings.HBM2DDL_AUTO, "validate")
			.containsEntry(AvailableSettings.LOG_SLOW_QUERY, "250")
			.containsEntry(AvailableSettings.STATEMENT_BATCH_SIZE, "50");
		assertThat(StorageConfiguration.HibernateSettings.forPostgres(Duration.ZERO))
			.containsEntry(AvailableSettings.LOG_SLOW_QUERY, "0");
	}

	@Test
	void aNegativeThresholdIsRefusedAtStart() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new StorageProperties(new StorageProperties.SearchParameters(true, null),
					Duration.ofSeconds(-1), new StorageProperties.IdCacheSettings(200_000, Duration.ofMinutes(10))))
			.withMessageContaining("slow-statement-threshold");
	}

}
