package health.crosswalk.storage;

import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CrosswalkStorageSettingsTest {

	private final JpaStorageSettings settings = CrosswalkStorageSettings.storage();

	@Test
	void referentialIntegrityIsEnforced() {
		assertThat(this.settings.isEnforceReferentialIntegrityOnWrite()).isTrue();
		assertThat(this.settings.isEnforceReferentialIntegrityOnDelete()).isTrue();
		assertThat(this.settings.isAutoCreatePlaceholderReferenceTargets()).isFalse();
		assertThat(this.settings.isAllowExternalReferences()).isFalse();
	}

	@Test
	void aBatchRunsInItsRequestsThreadOnOneConnection() {
		assertThat(this.settings.getBundleBatchPoolSize()).isEqualTo(1);
		assertThat(this.settings.getBundleBatchMaxPoolSize()).isEqualTo(1);
	}

	@Test
	void historyCannotBeErased() {
		assertThat(this.settings.isExpungeEnabled()).isFalse();
		assertThat(this.settings.isDeleteExpungeEnabled()).isFalse();
		assertThat(this.settings.isAllowMultipleDelete()).isFalse();
	}

	@Test
	void searchesAreNeverServedStale() {
		assertThat(this.settings.getReuseCachedSearchResultsForMillis()).isNull();
	}

	@Test
	void idsRevealNothing() {
		assertThat(this.settings.getResourceServerIdStrategy()).isEqualTo(JpaStorageSettings.IdStrategyEnum.UUID);
	}

}
