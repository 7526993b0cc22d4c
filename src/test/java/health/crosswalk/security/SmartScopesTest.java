package health.crosswalk.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SmartScopesTest {

	@Test
	void v2ScopesGrantTheirLettersOnTheirType() {
		SmartScopes scopes = SmartScopes.parse("openid fhirUser user/Observation.rs");
		assertThat(scopes.permits("Observation", 'r')).isTrue();
		assertThat(scopes.permits("Observation", 's')).isTrue();
		assertThat(scopes.permits("Observation", 'c')).isFalse();
		assertThat(scopes.permits("Patient", 'r')).isFalse();
	}

	@Test
	void wildcardsGrantEveryType() {
		SmartScopes scopes = SmartScopes.parse("system/*.cruds");
		assertThat(scopes.permits("Appointment", 'd')).isTrue();
		assertThat(scopes.permitsAll('s')).isTrue();
		assertThat(SmartScopes.parse("user/Patient.rs").permitsAll('r')).isFalse();
	}

	@Test
	void v1ScopesAreUnderstood() {
		assertThat(SmartScopes.parse("user/*.read").permits("Patient", 's')).isTrue();
		assertThat(SmartScopes.parse("user/*.read").permits("Patient", 'u')).isFalse();
		assertThat(SmartScopes.parse("system/Observation.write").permits("Observation", 'c')).isTrue();
		assertThat(SmartScopes.parse("system/Observation.write").permits("Observation", 'r')).isFalse();
		assertThat(SmartScopes.parse("user/*.*").permits("Patient", 'd')).isTrue();
	}

	@Test
	void patientScopesAndQueriesGrantNothingYet() {
		assertThat(SmartScopes.parse("patient/*.rs").permits("Patient", 'r')).isFalse();
		assertThat(SmartScopes.parse("user/Observation.rs?category=laboratory").permits("Observation", 'r')).isFalse();
	}

	@Test
	void malformedScopesGrantNothing() {
		assertThat(SmartScopes.parse("user/Observation.xyz system/.rs user/Observation. admin")
			.permits("Observation", 'r')).isFalse();
		assertThat(SmartScopes.parse(null).permits("Patient", 'r')).isFalse();
		assertThat(SmartScopes.parse("user/Observation.sr").permits("Observation", 'r')).as("letters in order only")
			.isFalse();
	}

}
