package health.crosswalk.security;

import java.util.Set;

import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import health.crosswalk.server.CrosswalkException;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class FhirAccessPolicyTest {

	private static final HospitalRef GENERAL = TwoHospitals.GENERAL;

	private final FhirAccessPolicy policy = new FhirAccessPolicy(new TwoHospitals(),
			(type) -> !Set.of("ValueSet", "StructureDefinition").contains(type));

	private static CrosswalkPrincipal caller(Role role, String scopes) {
		return new CrosswalkPrincipal("test", role, role.isClinical() ? GENERAL : null, SmartScopes.parse(scopes),
				"test");
	}

	@Test
	void hospitalCallersWorkWithinTheirScopes() {
		CrosswalkPrincipal reader = caller(Role.CLINICIAN, "user/*.rs");
		assertThatCode(() -> this.policy.checkRequest(reader, RestOperationTypeEnum.READ, "Patient", null))
			.doesNotThrowAnyException();
		assertThatExceptionOfType(CrosswalkException.class)
			.isThrownBy(() -> this.policy.checkRequest(reader, RestOperationTypeEnum.CREATE, "Patient", null));
		assertThatCode(() -> this.policy.checkRequest(reader, RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE,
				"Patient", "$everything"))
			.doesNotThrowAnyException();
	}

	@Test
	void auditorsSeeAuditEventsOnlyAndAdminsNoFhirData() {
		CrosswalkPrincipal auditor = caller(Role.AUDITOR, "system/AuditEvent.rs");
		assertThatCode(() -> this.policy.checkRequest(auditor, RestOperationTypeEnum.SEARCH_TYPE, "AuditEvent", null))
			.doesNotThrowAnyException();
		assertThatExceptionOfType(CrosswalkException.class)
			.isThrownBy(() -> this.policy.checkRequest(auditor, RestOperationTypeEnum.READ, "Patient", null));
		assertThatCode(() -> this.policy.checkRequest(auditor, RestOperationTypeEnum.EXTENDED_OPERATION_TYPE,
				"AuditEvent", "$verify"))
			.doesNotThrowAnyException();
		assertThatExceptionOfType(CrosswalkException.class).isThrownBy(() -> this.policy.checkRequest(auditor,
				RestOperationTypeEnum.EXTENDED_OPERATION_TYPE, "AuditEvent", "$expunge"));
		assertThat(this.policy.mayShow(auditor, "Patient")).isFalse();
		assertThat(this.policy.partitionFor(auditor, RestOperationTypeEnum.SEARCH_TYPE).isAllPartitions()).isTrue();

		CrosswalkPrincipal admin = caller(Role.ADMIN, "");
		assertThatExceptionOfType(CrosswalkException.class)
			.isThrownBy(() -> this.policy.checkRequest(admin, RestOperationTypeEnum.SEARCH_TYPE, "AuditEvent", null));
		assertThat(this.policy.mayShow(admin, "Patient")).isFalse();
		assertThatCode(() -> this.policy.checkRequest(admin, RestOperationTypeEnum.METADATA, null, null))
			.doesNotThrowAnyException();
	}

	@Test
	void clinicalCallersNeverTouchAuditEventsOrSharedResources() {
		CrosswalkPrincipal system = caller(Role.HOSPITAL_SYSTEM, "system/*.cruds");
		assertThatExceptionOfType(CrosswalkException.class)
			.isThrownBy(() -> this.policy.checkRequest(system, RestOperationTypeEnum.SEARCH_TYPE, "AuditEvent", null));
		assertThat(this.policy.mayShow(system, "AuditEvent")).isFalse();
		assertThatExceptionOfType(CrosswalkException.class)
			.isThrownBy(() -> this.policy.checkWrite(system, "ValueSet", 'c'));
		assertThatCode(() -> this.policy.checkRequest(system, RestOperationTypeEnum.READ, "ValueSet", null))
			.doesNotThrowAnyException();
	}

	@Test
	void aBulkExportNeedsAReadScopeOnEveryTypeAndNoOtherSystemOperationRuns() {
		CrosswalkPrincipal system = caller(Role.HOSPITAL_SYSTEM, "system/*.rs");
		assertThatCode(() -> this.policy.checkRequest(system, RestOperationTypeEnum.EXTENDED_OPERATION_SERVER, null,
				"$export"))
			.doesNotThrowAnyException();
		assertThatCode(() -> this.policy.checkRequest(system, RestOperationTypeEnum.EXTENDED_OPERATION_TYPE, "Patient",
				"$export"))
			.doesNotThrowAnyException();
		assertThatCode(() -> this.policy.checkRequest(system, RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE,
				"Group", "$export"))
			.doesNotThrowAnyException();
		assertThatCode(() -> this.policy.checkRequest(system, RestOperationTypeEnum.EXTENDED_OPERATION_SERVER, null,
				"$export-poll-status"))
			.doesNotThrowAnyException();
		assertThatExceptionOfType(CrosswalkException.class)
			.isThrownBy(() -> this.policy.checkRequest(system, RestOperationTypeEnum.EXTENDED_OPERATION_SERVER, null,
					"$reindex"))
			.satisfies((refused) -> assertThat(refused.error().definition().code()).isEqualTo("CW-AUTH-013"));

		CrosswalkPrincipal narrow = caller(Role.CLINICIAN, "user/Patient.rs user/Observation.rs");
		assertThatExceptionOfType(CrosswalkException.class)
			.isThrownBy(() -> this.policy.checkRequest(narrow, RestOperationTypeEnum.EXTENDED_OPERATION_TYPE, "Patient",
					"$export"))
			.satisfies((refused) -> assertThat(refused.error().definition().code()).isEqualTo("CW-AUTH-011"));
		assertThatExceptionOfType(CrosswalkException.class)
			.isThrownBy(() -> this.policy.checkRequest(narrow, RestOperationTypeEnum.EXTENDED_OPERATION_SERVER, null,
					"$export-poll-status"))
			.satisfies((refused) -> assertThat(refused.error().definition().code()).isEqualTo("CW-AUTH-011"));
		CrosswalkPrincipal auditor = caller(Role.AUDITOR, "system/AuditEvent.rs");
		assertThatExceptionOfType(CrosswalkException.class).isThrownBy(() -> this.policy.checkRequest(auditor,
				RestOperationTypeEnum.EXTENDED_OPERATION_SERVER, null, "$export"));
		CrosswalkPrincipal writer = caller(Role.HOSPITAL_SYSTEM, "system/*.cruds");
		assertThatExceptionOfType(CrosswalkException.class)
			.isThrownBy(() -> this.policy.checkRequest(writer, RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE,
					"Binary", "$meta-add"))
			.satisfies((refused) -> assertThat(refused.error().definition().code()).isEqualTo("CW-AUTH-013"));
		assertThatCode(() -> this.policy.checkRequest(writer, RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE,
				"Patient", "$meta-add"))
			.doesNotThrowAnyException();
		assertThat(FhirAccessPolicy.offersAtSystemLevel("export")).isTrue();
		assertThat(FhirAccessPolicy.offersAtSystemLevel("$get-resource-counts")).isFalse();
	}

	@Test
	void maintenanceAndTypeLevelEverythingAreRefused() {
		CrosswalkPrincipal system = caller(Role.HOSPITAL_SYSTEM, "system/*.cruds");
		assertThatExceptionOfType(CrosswalkException.class).isThrownBy(() -> this.policy.checkRequest(system,
				RestOperationTypeEnum.EXTENDED_OPERATION_TYPE, "Patient", "$everything"));
		assertThatExceptionOfType(CrosswalkException.class).isThrownBy(() -> this.policy.checkRequest(system,
				RestOperationTypeEnum.EXTENDED_OPERATION_SERVER, null, "$reindex"));
		assertThatExceptionOfType(CrosswalkException.class).isThrownBy(() -> this.policy.checkRequest(system,
				RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE, "Patient", "$expunge"));
	}

	@Test
	void patientsCarryOnlyTheirHospitalsOrSharedIdentifiers() {
		CrosswalkPrincipal system = caller(Role.HOSPITAL_SYSTEM, "system/*.cruds");
		Patient own = new Patient();
		own.addIdentifier().setSystem("urn:general:mrn").setValue("1");
		own.addIdentifier().setSystem("urn:oid:2.16.840.1.113883.4.1").setValue("123-45-6789");
		assertThatCode(() -> this.policy.checkIdentifierSystems(system, own)).doesNotThrowAnyException();

		Patient foreign = new Patient();
		foreign.addIdentifier().setSystem("urn:general:mrn").setValue("1");
		foreign.addIdentifier().setSystem("urn:riverside:mrn").setValue("2");
		assertThatExceptionOfType(CrosswalkException.class)
			.isThrownBy(() -> this.policy.checkIdentifierSystems(system, foreign))
			.withMessageContaining("Patient.identifier[1].system");
	}

	@Test
	void aNetworkExporterExportsEveryPartitionAndReadsItsFilesInTheDefaultOne() {
		CrosswalkPrincipal exporter = new CrosswalkPrincipal("key-9", Role.NETWORK_EXPORTER, null,
				SmartScopes.parse("system/*.rs"), "api-key");
		assertThatCode(() -> this.policy.checkRequest(exporter, RestOperationTypeEnum.EXTENDED_OPERATION_SERVER, null,
				"$export"))
			.doesNotThrowAnyException();
		assertThatCode(() -> this.policy.checkRequest(exporter, RestOperationTypeEnum.READ, "Binary", null))
			.doesNotThrowAnyException();
		assertThat(
				this.policy.partitionFor(exporter, RestOperationTypeEnum.EXTENDED_OPERATION_SERVER).isAllPartitions())
			.isTrue();
		assertThat(this.policy.partitionFor(exporter, RestOperationTypeEnum.READ).isDefaultPartition()).isTrue();
		assertThat(exporter.mayRead("Binary")).isTrue();
		assertThat(exporter.mayRead("Patient")).isFalse();
		assertThat(exporter.requester()).isEqualTo("*/api-key/key-9");
		assertThat(CrosswalkPrincipal.apiKeyOf(exporter.requester())).isEqualTo("key-9");
		assertThat(CrosswalkPrincipal.apiKeyOf(
				new CrosswalkPrincipal("dr/lee", Role.CLINICIAN, GENERAL, SmartScopes.parse("user/*.rs"), "jwt", "app")
					.requester()))
			.isNull();
		for (Object[] refused : new Object[][] { { RestOperationTypeEnum.READ, "Patient", null },
				{ RestOperationTypeEnum.SEARCH_TYPE, "Binary", null }, { RestOperationTypeEnum.CREATE, "Binary", null },
				{ RestOperationTypeEnum.EXTENDED_OPERATION_TYPE, "Patient", "$export" },
				{ RestOperationTypeEnum.EXTENDED_OPERATION_SERVER, null, "$import" },
				{ RestOperationTypeEnum.TRANSACTION, null, null } }) {
			assertThatExceptionOfType(CrosswalkException.class)
				.isThrownBy(() -> this.policy.checkRequest(exporter, (RestOperationTypeEnum) refused[0],
						(String) refused[1], (String) refused[2]))
				.satisfies((ex) -> assertThat(ex.error()).isEqualTo(SecurityError.ROLE_NOT_ALLOWED));
		}
		CrosswalkPrincipal narrow = new CrosswalkPrincipal("key-8", Role.NETWORK_EXPORTER, null,
				SmartScopes.parse("system/Patient.rs"), "api-key");
		assertThatExceptionOfType(CrosswalkException.class).isThrownBy(() -> this.policy.checkRequest(narrow,
				RestOperationTypeEnum.EXTENDED_OPERATION_SERVER, null, "$export"));
	}

	@Test
	void onlyTheServerMarksWhereARecordComesFrom() {
		Patient marked = new Patient();
		marked.getMeta().addTag(HospitalDirectory.SOURCE_HOSPITAL_TAG, "riverside", null);
		assertThatExceptionOfType(CrosswalkException.class).isThrownBy(() -> FhirAccessPolicy.checkNoServerTag(marked))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(SecurityError.SERVER_TAG));
		Patient tagged = new Patient();
		tagged.getMeta().addTag("urn:example:tags", "vip", null);
		assertThatCode(() -> FhirAccessPolicy.checkNoServerTag(tagged)).doesNotThrowAnyException();
	}

	@Test
	void partitionComesFromThePrincipal() {
		assertThat(this.policy.partitionFor(caller(Role.CLINICIAN, "user/*.rs"), RestOperationTypeEnum.READ)
			.getPartitionIds()).containsExactly(1);
		assertThat(this.policy.mayShowFrom(caller(Role.CLINICIAN, "user/*.rs"), RequestPartitionId.fromPartitionId(2)))
			.isFalse();
		assertThat(this.policy.mayShowFrom(caller(Role.CLINICIAN, "user/*.rs"), RequestPartitionId.defaultPartition()))
			.isTrue();
		assertThatExceptionOfType(CrosswalkException.class)
			.isThrownBy(() -> this.policy.partitionFor(caller(Role.ADMIN, ""), RestOperationTypeEnum.READ));
		assertThatExceptionOfType(AuthenticationException.class)
			.isThrownBy(() -> this.policy.checkRequest(null, RestOperationTypeEnum.READ, "Patient", null));
	}

}
