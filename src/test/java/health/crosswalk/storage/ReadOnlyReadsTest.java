package health.crosswalk.storage;

import java.util.ArrayList;
import java.util.List;

import ca.uhn.fhir.interceptor.executor.InterceptorService;
import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.dao.tx.IHapiTransactionService.IExecutionBuilder;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ReadOnlyReads} begins the transactions of a read by id or version read-only,
 * every other interaction's and the system's own as HAPI does, and leaves a read inside a
 * write's transaction to join it.
 */
class ReadOnlyReadsTest {

	private final Transactions transactions = new Transactions();

	private final ReadOnlyReads service = new ReadOnlyReads();

	@BeforeEach
	void setUp() {
		this.service.setTransactionManager(this.transactions);
		this.service.setPartitionSettingsForUnitTest(new PartitionSettings());
		this.service.setInterceptorBroadcaster(new InterceptorService());
	}

	@ParameterizedTest
	@EnumSource(value = RestOperationTypeEnum.class, names = { "READ", "VREAD" })
	void aReadByIdOrVersionBeginsAReadOnlyTransaction(RestOperationTypeEnum operation) {
		assertThat(readOnlyInside(builder(operation))).isTrue();
		assertThat(this.transactions.begun).containsExactly(true);
	}

	@ParameterizedTest
	@EnumSource(value = RestOperationTypeEnum.class, names = { "READ", "VREAD" }, mode = EnumSource.Mode.EXCLUDE)
	void everyOtherInteractionBeginsATransactionThatMayWrite(RestOperationTypeEnum operation) {
		assertThat(readOnlyInside(builder(operation))).isFalse();
		assertThat(this.transactions.begun).containsExactly(false);
	}

	@Test
	void theSystemsOwnWorkAndARequestOfNoKnownInteractionMayWrite() {
		assertThat(readOnlyInside(this.service.withSystemRequest().withRequestPartitionId(partition()))).isFalse();
		assertThat(readOnlyInside(builder(null))).isFalse();
		assertThat(this.transactions.begun).containsExactly(false, false);
	}

	@Test
	void aReadInsideAWritesTransactionJoinsIt() {
		boolean readOnly = builder(RestOperationTypeEnum.TRANSACTION)
			.execute(() -> readOnlyInside(builder(RestOperationTypeEnum.READ)));

		assertThat(readOnly).isFalse();
		assertThat(this.transactions.begun).containsExactly(false);
	}

	@Test
	void onlyReadsByIdAndVersionAreMarked() {
		assertThat(ReadOnlyReads.readsOnly(null)).isFalse();
		assertThat(ReadOnlyReads.readsOnly(request(RestOperationTypeEnum.READ))).isTrue();
		assertThat(ReadOnlyReads.readsOnly(request(RestOperationTypeEnum.SEARCH_TYPE))).isFalse();
		assertThat(ReadOnlyReads.readsOnly(request(RestOperationTypeEnum.HISTORY_INSTANCE))).isFalse();
	}

	private IExecutionBuilder builder(RestOperationTypeEnum operation) {
		return this.service.withRequest(request(operation)).withRequestPartitionId(partition());
	}

	private static boolean readOnlyInside(IExecutionBuilder builder) {
		return builder.read((partition) -> TransactionSynchronizationManager.isCurrentTransactionReadOnly());
	}

	private static SystemRequestDetails request(RestOperationTypeEnum operation) {
		SystemRequestDetails request = new SystemRequestDetails();
		request.setRestOperationType(operation);
		return request;
	}

	private static RequestPartitionId partition() {
		return RequestPartitionId.fromPartitionId(1);
	}

	/** Records whether each transaction it begins is read-only. */
	static final class Transactions extends AbstractPlatformTransactionManager {

		final List<Boolean> begun = new ArrayList<>();

		private boolean active;

		@Override
		protected Object doGetTransaction() {
			return new boolean[] { this.active };
		}

		@Override
		protected boolean isExistingTransaction(Object transaction) {
			return ((boolean[]) transaction)[0];
		}

		@Override
		protected void doBegin(Object transaction, TransactionDefinition definition) {
			this.begun.add(definition.isReadOnly());
			this.active = true;
		}

		@Override
		protected void doCommit(DefaultTransactionStatus status) {
		}

		@Override
		protected void doRollback(DefaultTransactionStatus status) {
		}

		@Override
		protected void doCleanupAfterCompletion(Object transaction) {
			this.active = false;
		}

	}

}
