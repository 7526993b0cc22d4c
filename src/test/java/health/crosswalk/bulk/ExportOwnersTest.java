package health.crosswalk.bulk;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import health.crosswalk.security.CrosswalkPrincipal;
import health.crosswalk.security.HospitalRef;
import health.crosswalk.security.Role;
import health.crosswalk.security.SmartScopes;
import health.crosswalk.server.CrosswalkException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Whose an export is, without a server: the owner a job records, the owner its files
 * carry, and the poll check that compares them with the caller.
 */
class ExportOwnersTest {

	private static final HospitalRef GENERAL = new HospitalRef("general", 7, true, "1");

	private static CrosswalkPrincipal caller(String subject, String credential) {
		return new CrosswalkPrincipal(subject, Role.HOSPITAL_SYSTEM, GENERAL, SmartScopes.parse("system/*.cruds"),
				credential);
	}

	@Test
	void anExportRecordsItsRequesterAndItsFilesCarryIt() {
		BulkExportJobParameters parameters = new BulkExportJobParameters();
		ExportOwners.stamp(parameters, caller("key-1", "api-key"));
		assertThat(ExportOwners.ownerOf(parameters)).isEqualTo("general/api-key/key-1");

		Binary file = new Binary();
		file.setSecurityContext(new Reference()
			.setIdentifier(new Identifier().setSystem(parameters.getBinarySecurityContextIdentifierSystem())
				.setValue(parameters.getBinarySecurityContextIdentifierValue())));
		assertThat(ExportOwners.ownerOf(file)).isEqualTo("general/api-key/key-1");
		// A token of the same subject is another credential.
		assertThat(ExportOwners.of(caller("key-1", "jwt"))).isNotEqualTo(ExportOwners.ownerOf(file));
	}

	@Test
	void twoApplicationsOfOneUserAreTwoRequesters() {
		CrosswalkPrincipal chart = new CrosswalkPrincipal("dr-lee", Role.CLINICIAN, GENERAL,
				SmartScopes.parse("user/*.read"), "jwt", "chart-app");
		CrosswalkPrincipal other = new CrosswalkPrincipal("dr-lee", Role.CLINICIAN, GENERAL,
				SmartScopes.parse("user/*.read"), "jwt", "other-app");
		assertThat(ExportOwners.of(chart)).isEqualTo("general/jwt/dr-lee/chart-app")
			.isNotEqualTo(ExportOwners.of(other))
			.isNotEqualTo(ExportOwners.of(caller("dr-lee", "jwt")));
		// No subject can pass for a subject and a client.
		assertThat(ExportOwners.of(caller("dr-lee/chart-app", "jwt"))).isNotEqualTo(ExportOwners.of(chart));
	}

	@Test
	void otherBinariesAndResourcesHaveNoOwner() {
		Binary foreign = new Binary();
		foreign
			.setSecurityContext(new Reference().setIdentifier(new Identifier().setSystem("urn:other").setValue("x")));
		assertThat(ExportOwners.ownerOf(foreign)).isNull();
		assertThat(ExportOwners.ownerOf(new Binary())).isNull();
		assertThat(ExportOwners.ownerOf(new Patient())).isNull();
		assertThat(ExportOwners.ownerOf(new BulkExportJobParameters())).isNull();
	}

	@Test
	void aPollIsAnsweredToTheRequesterAloneAndAlikeForNoJob() {
		BulkExportJobParameters mine = new BulkExportJobParameters();
		ExportOwners.stamp(mine, caller("key-1", "api-key"));
		Map<String, BulkExportJobParameters> jobs = Map.of("job-1", mine, "job-2", new BulkExportJobParameters());
		ExportStatusHooks hooks = new ExportStatusHooks((id) -> Optional.ofNullable(jobs.get(id)));

		assertThatCode(() -> hooks.checkOwner(caller("key-1", "api-key"), "job-1")).doesNotThrowAnyException();
		for (String job : new String[] { "job-1", "job-2", "job-3" }) {
			assertThatExceptionOfType(CrosswalkException.class)
				.isThrownBy(() -> hooks.checkOwner(caller("key-2", "api-key"), job))
				.satisfies((refused) -> assertThat(refused.error()).isEqualTo(BulkError.NOT_YOUR_EXPORT));
		}
		assertThatExceptionOfType(CrosswalkException.class).isThrownBy(() -> hooks.checkOwner(null, "job-1"));
	}

	@Test
	void aPollIsCheckedForTheJobHapiWillAnswer() {
		ServletRequestDetails twice = new ServletRequestDetails();
		twice.setParameters(Map.of("_jobId", new String[] { "victim", "mine" }));
		assertThatExceptionOfType(CrosswalkException.class).isThrownBy(() -> ExportStatusHooks.jobId(twice))
			.satisfies((refused) -> assertThat(refused.error()).isEqualTo(BulkError.NO_JOB_ID));

		// HAPI reads the URL when it names a job, whatever the body says.
		ServletRequestDetails both = new ServletRequestDetails();
		both.setParameters(Map.of("_jobId", new String[] { "victim" }));
		Parameters body = new Parameters();
		body.addParameter("_jobId", "mine");
		both.setResource(body);
		assertThat(ExportStatusHooks.jobId(both)).isEqualTo("victim");

		ServletRequestDetails posted = new ServletRequestDetails();
		posted.setParameters(Map.of());
		posted.setResource(body);
		assertThat(ExportStatusHooks.jobId(posted)).isEqualTo("mine");
	}

	@Test
	void aTokenWithoutASubjectCannotOwnAnExport() {
		assertThat(ExportOwners.canOwn(caller("key-1", "api-key"))).isTrue();
		assertThat(ExportOwners.canOwn(caller(null, "jwt"))).isFalse();
		assertThat(ExportOwners.canOwn(caller(" ", "jwt"))).isFalse();
	}

	@Test
	void settingsOutOfRangeAreRefusedAtStart() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new BulkProperties(true, 0, Duration.ofHours(2), 2, Duration.ofSeconds(5)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new BulkProperties(true, 1000, Duration.ofMinutes(90), 2, Duration.ofSeconds(5)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new BulkProperties(true, 1000, Duration.ofHours(2), 2, Duration.ofMillis(10)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new BulkProperties(true, 1000, Duration.ofHours(2), 0, Duration.ofSeconds(5)));
		assertThat(new BulkProperties(true, 1000, Duration.ofHours(2), 2, Duration.ofSeconds(5)).fileMaxResources())
			.isEqualTo(1000);
	}

}
