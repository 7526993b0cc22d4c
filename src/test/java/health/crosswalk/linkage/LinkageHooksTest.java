package health.crosswalk.linkage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.HookParams;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.interceptor.executor.InterceptorService;
import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.rest.api.InterceptorInvocationTimingEnum;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SimplePreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import health.crosswalk.linkage.LinkStore.RecordRef;
import health.crosswalk.security.CrosswalkPrincipal;
import health.crosswalk.security.HospitalRef;
import health.crosswalk.security.Role;
import health.crosswalk.server.CrosswalkException;
import health.crosswalk.server.Pipeline;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionSynchronizationUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link LinkageHooks} on HAPI's interceptor service, called as HAPI JPA calls them, with
 * linkage behind its port and no Spring or database: the UPI cannot be set by a client,
 * computed links are never stored, a written Patient is linked just before its
 * transaction commits (never if it rolls back), and a shown Patient carries its UPI and
 * its records at other hospitals.
 */
class LinkageHooksTest {

	private static final String UPI_SYSTEM = "urn:test:upi";

	private static final HospitalRef GENERAL = new HospitalRef("general", 1, true, "org-1");

	private final FakeLinks links = new FakeLinks();

	private InterceptorService storage;

	@BeforeEach
	void register() {
		this.storage = new InterceptorService();
		new Pipeline(new RestfulServer(FhirContext.forR4Cached()), this.storage)
			.add(new LinkageHooks(this.links, UPI_SYSTEM, true));
	}

	/**
	 * Ends the test's transaction as Spring would, so nothing stays bound to the thread.
	 */
	@AfterEach
	void endTransaction() {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationUtils.invokeAfterCompletion(
					TransactionSynchronizationManager.getSynchronizations(), TransactionSynchronization.STATUS_UNKNOWN);
			TransactionSynchronizationManager.clear();
		}
		assertThat(TransactionSynchronizationManager.getResourceMap()).as("nothing left bound to the thread").isEmpty();
	}

	@Test
	void aClientCannotSetTheUpi() {
		Patient patient = patient("p1");
		patient.addIdentifier().setSystem(UPI_SYSTEM).setValue(UUID.randomUUID().toString());

		CrosswalkException refused = catchThrowableOfType(
				() -> call(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, patient, null, hospitalSystem()),
				CrosswalkException.class);

		assertThat(refused.error()).isEqualTo(LinkageError.UPI_NOT_SETTABLE);
		assertThat(refused.getStatusCode()).isEqualTo(422);
	}

	@Test
	void computedLinksAreStrippedOnWriteAndOtherLinksKept() {
		Patient patient = patient("p1");
		patient.addLink()
			.setType(Patient.LinkType.SEEALSO)
			.setOther(new Reference().setIdentifier(
					new Identifier().setSystem(LinkageHooks.RECORD_SYSTEM_PREFIX + "riverside").setValue("9")));
		patient.addLink().setType(Patient.LinkType.REFER).setOther(new Reference("Patient/p0"));

		call(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, patient, null, hospitalSystem());

		assertThat(patient.getLink()).singleElement()
			.satisfies((link) -> assertThat(link.getOther().getReference()).isEqualTo("Patient/p0"));
	}

	@Test
	void anUpdateMaySendBackTheUpiItWasGivenButNotAnother() {
		UUID upi = UUID.randomUUID();
		this.links.upis.put(new RecordRef(1, "p1"), upi);
		Patient same = patient("p1");
		same.addIdentifier().setSystem(UPI_SYSTEM).setValue(upi.toString());

		call(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, same, patient("p1"), hospitalSystem());
		assertThat(same.getIdentifier()).as("the UPI lives in the link store, not the record")
			.noneMatch((identifier) -> UPI_SYSTEM.equals(identifier.getSystem()));

		Patient other = patient("p1");
		other.addIdentifier().setSystem(UPI_SYSTEM).setValue(UUID.randomUUID().toString());
		assertThat(catchThrowableOfType(
				() -> call(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, other, patient("p1"), hospitalSystem()),
				CrosswalkException.class)
			.error()).isEqualTo(LinkageError.UPI_NOT_SETTABLE);
	}

	@Test
	void aWrittenPatientIsLinkedJustBeforeItsTransactionCommits() {
		TransactionSynchronizationManager.initSynchronization();
		Patient patient = patient("p1");

		call(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED, patient, null, hospitalSystem());
		patient.getNameFirstRep().setFamily("Changed after the hook");
		assertThat(this.links.assigned).as("nothing linked before the commit").isEmpty();

		TransactionSynchronizationUtils.triggerBeforeCommit(false);

		assertThat(this.links.assigned).singleElement().satisfies((assigned) -> {
			assertThat(assigned.record()).isEqualTo(new RecordRef(1, "p1"));
			assertThat(assigned.hospital()).isEqualTo("general");
			assertThat(assigned.actor()).isEqualTo("api-key:ehr@general");
			assertThat(assigned.patient().getNameFirstRep().getFamily()).as("linked as written").isEqualTo("Doe");
		});
	}

	@Test
	void aRolledBackWriteIsNeverLinked() {
		TransactionSynchronizationManager.initSynchronization();

		call(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED, patient("p1"), patient("p1"), hospitalSystem());
		TransactionSynchronizationUtils.invokeAfterCompletion(TransactionSynchronizationManager.getSynchronizations(),
				TransactionSynchronization.STATUS_ROLLED_BACK);

		assertThat(this.links.assigned).isEmpty();
	}

	@Test
	void aDeletedPatientLeavesItsUpi() {
		call(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED, patient("p1"), null, hospitalSystem());

		assertThat(this.links.removed).containsExactly(new RecordRef(1, "p1"));
	}

	@Test
	void theServersOwnWritesAreNotLinked() {
		call(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED, patient("p1"), null, new SystemRequestDetails());

		assertThat(this.links.assigned).isEmpty();
	}

	@Test
	void aShownPatientCarriesItsUpiAndItsRecordsAtOtherHospitals() {
		UUID upi = UUID.randomUUID();
		this.links.upis.put(new RecordRef(1, "p1"), upi);
		this.links.members.put(upi, List.of(new LinkStore.Linked(new RecordRef(1, "p1"), "general"),
				new LinkStore.Linked(new RecordRef(2, "r7"), "riverside")));
		Patient patient = patient("p1");

		show(patient, hospitalSystem());

		assertThat(patient.getIdentifier()).anySatisfy((identifier) -> {
			assertThat(identifier.getSystem()).isEqualTo(UPI_SYSTEM);
			assertThat(identifier.getValue()).isEqualTo(upi.toString());
			assertThat(identifier.getUse()).isEqualTo(Identifier.IdentifierUse.SECONDARY);
		});
		assertThat(patient.getLink()).as("only the record at the other hospital").singleElement().satisfies((link) -> {
			assertThat(link.getType()).isEqualTo(Patient.LinkType.SEEALSO);
			assertThat(link.getOther().getIdentifier().getSystem())
				.isEqualTo(LinkageHooks.RECORD_SYSTEM_PREFIX + "riverside");
			assertThat(link.getOther().getIdentifier().getValue()).isEqualTo("r7");
		});
		assertThat(patient.getActive()).as("a linked Patient states whether it is active").isTrue();
	}

	@Test
	void aPageOfPatientsIsLookedUpOnceAndEachCarriesItsOwnUpi() {
		UUID first = UUID.randomUUID();
		UUID second = UUID.randomUUID();
		this.links.upis.put(new RecordRef(1, "p1"), first);
		this.links.upis.put(new RecordRef(1, "p2"), second);
		this.links.members.put(second, List.of(new LinkStore.Linked(new RecordRef(1, "p2"), "general"),
				new LinkStore.Linked(new RecordRef(3, "x9"), "north")));
		List<Patient> page = List.of(patient("p1"), patient("p2"), patient("p3"));
		ServletRequestDetails request = hospitalSystem();

		this.storage.callHooks(Pointcut.STORAGE_PRESHOW_RESOURCES,
				new HookParams().add(IPreResourceShowDetails.class, new SimplePreResourceShowDetails(page))
					.add(RequestDetails.class, request)
					.add(ServletRequestDetails.class, request));

		assertThat(this.links.memberQueries).isEqualTo(1);
		assertThat(upiOf(page.get(0))).isEqualTo(first.toString());
		assertThat(page.get(0).getLink()).isEmpty();
		assertThat(upiOf(page.get(1))).isEqualTo(second.toString());
		assertThat(page.get(1).getLink()).singleElement()
			.satisfies((link) -> assertThat(link.getOther().getIdentifier().getValue()).isEqualTo("x9"));
		assertThat(upiOf(page.get(2))).as("a record without a UPI").isNull();
	}

	private static String upiOf(Patient patient) {
		return patient.getIdentifier()
			.stream()
			.filter((identifier) -> UPI_SYSTEM.equals(identifier.getSystem()))
			.map(Identifier::getValue)
			.findFirst()
			.orElse(null);
	}

	@Test
	void withoutSharingAShownPatientCarriesOnlyItsUpi() {
		InterceptorService alone = new InterceptorService();
		new Pipeline(new RestfulServer(FhirContext.forR4Cached()), alone)
			.add(new LinkageHooks(this.links, UPI_SYSTEM, false));
		UUID upi = UUID.randomUUID();
		this.links.upis.put(new RecordRef(1, "p1"), upi);
		this.links.members.put(upi, List.of(new LinkStore.Linked(new RecordRef(2, "r7"), "riverside")));
		Patient patient = patient("p1");
		ServletRequestDetails request = hospitalSystem();

		alone.callHooks(Pointcut.STORAGE_PRESHOW_RESOURCES,
				new HookParams().add(IPreResourceShowDetails.class, new SimplePreResourceShowDetails(List.of(patient)))
					.add(RequestDetails.class, request)
					.add(ServletRequestDetails.class, request));

		assertThat(patient.getIdentifier()).anyMatch((identifier) -> UPI_SYSTEM.equals(identifier.getSystem()));
		assertThat(patient.getLink()).isEmpty();
	}

	private void show(Patient patient, ServletRequestDetails request) {
		this.storage.callHooks(Pointcut.STORAGE_PRESHOW_RESOURCES,
				new HookParams().add(IPreResourceShowDetails.class, new SimplePreResourceShowDetails(List.of(patient)))
					.add(RequestDetails.class, request)
					.add(ServletRequestDetails.class, request));
	}

	/** Calls a storage pointcut with the parameters HAPI JPA gives it. */
	private void call(Pointcut pointcut, IBaseResource resource, IBaseResource previous, RequestDetails request) {
		HookParams params = new HookParams();
		switch (pointcut) {
			case STORAGE_PRESTORAGE_RESOURCE_UPDATED, STORAGE_PRECOMMIT_RESOURCE_UPDATED ->
				params.add(IBaseResource.class, previous).add(IBaseResource.class, resource);
			case STORAGE_PRECOMMIT_RESOURCE_DELETED ->
				params.add(IBaseResource.class, resource).add(IIdType.class, resource.getIdElement());
			default -> params.add(IBaseResource.class, resource);
		}
		params.add(RequestDetails.class, request)
			.addIfMatchesType(ServletRequestDetails.class, request)
			.add(TransactionDetails.class, new TransactionDetails());
		if (pointcut == Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED) {
			params.add(RequestPartitionId.class, RequestPartitionId.fromPartitionId(1));
		}
		if (pointcut.name().startsWith("STORAGE_PRECOMMIT")) {
			params.add(InterceptorInvocationTimingEnum.class, InterceptorInvocationTimingEnum.ACTIVE);
		}
		this.storage.callHooks(pointcut, params);
	}

	private static ServletRequestDetails hospitalSystem() {
		ServletRequestDetails request = new ServletRequestDetails();
		request.getUserData()
			.put(CrosswalkPrincipal.class.getName(),
					new CrosswalkPrincipal("ehr", Role.HOSPITAL_SYSTEM, GENERAL, null, "api-key"));
		return request;
	}

	private static Patient patient(String id) {
		Patient patient = new Patient();
		patient.setId("Patient/" + id);
		patient.addIdentifier().setSystem("urn:general:mrn").setValue("mrn-" + id);
		patient.addName().setFamily("Doe");
		return patient;
	}

	/** Linkage as the hooks see it, in memory. */
	private static final class FakeLinks implements LinkageHooks.Links {

		private final Map<RecordRef, UUID> upis = new HashMap<>();

		private final Map<UUID, List<LinkStore.Linked>> members = new HashMap<>();

		private final List<Assigned> assigned = new ArrayList<>();

		private final List<RecordRef> removed = new ArrayList<>();

		private int memberQueries;

		@Override
		public Optional<UUID> upiOf(RecordRef record) {
			return Optional.ofNullable(this.upis.get(record));
		}

		@Override
		public Map<String, LinkStore.Members> linkedTo(int partitionId, Collection<String> patientIds) {
			this.memberQueries++;
			Map<String, LinkStore.Members> found = new HashMap<>();
			for (String patientId : patientIds) {
				UUID upi = this.upis.get(new RecordRef(partitionId, patientId));
				if (upi != null) {
					found.put(patientId, new LinkStore.Members(upi, this.members.getOrDefault(upi, List.of())));
				}
			}
			return found;
		}

		@Override
		public UUID assign(RecordRef record, String hospitalSlug, Patient patient, String actor) {
			this.assigned.add(new Assigned(record, hospitalSlug, patient, actor));
			return this.upis.computeIfAbsent(record, (key) -> UUID.randomUUID());
		}

		@Override
		public void remove(RecordRef record, String actor) {
			this.removed.add(record);
		}

	}

	private record Assigned(RecordRef record, String hospital, Patient patient, String actor) {

	}

}
