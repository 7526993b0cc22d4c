package health.crosswalk.results;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import health.crosswalk.server.Pipeline;
import health.crosswalk.storage.BeforeCommit;
import org.hl7.fhir.instance.model.api.IBaseResource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Tells the {@link ResultCache} which partitions' types each write changes: at
 * {@code STORAGE_PRECOMMIT_RESOURCE_CREATED}, {@code _UPDATED} and {@code _DELETED}
 * (inside the write's transaction, for every caller, each entry of a bundle included), it
 * queues the resource's scope for the end of the transaction ({@link BeforeCommit}). Just
 * before the commit, one statement notifies the other servers ({@code pg_notify},
 * delivered by PostgreSQL only if the transaction commits); once it has committed (or its
 * commit's outcome is unknown), this server's cache is told, which then passes over the
 * notification when it comes back. A resource whose partition is not known makes every
 * kept result stale. Registered on HAPI's JPA interceptor service only.
 */
@Interceptor
final class ResultWrites {

	/** PostgreSQL refuses payloads of 8,000 bytes and more. */
	private static final int PAYLOAD_LIMIT = 7_000;

	private final ResultCache cache;

	private final Consumer<String> notifier;

	/**
	 * @param cache the results to keep current
	 * @param notifier sends a payload on {@value ResultCache#CHANNEL}, in the write's own
	 * transaction
	 */
	ResultWrites(ResultCache cache, Consumer<String> notifier) {
		this.cache = cache;
		this.notifier = notifier;
	}

	/**
	 * Sends a payload in the current transaction, through {@code pg_notify}.
	 * @param jdbc statements on the pool, which join the current transaction
	 * @return the notifier
	 */
	static Consumer<String> notifier(JdbcTemplate jdbc) {
		return (payload) -> jdbc.query("SELECT pg_notify(?, ?)", (row) -> {
		}, ResultCache.CHANNEL, payload);
	}

	@Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED, order = Pipeline.RESULTS)
	void created(IBaseResource resource) {
		written(resource);
	}

	@Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED, order = Pipeline.RESULTS)
	void updated(IBaseResource previous, IBaseResource resource) {
		written(resource);
	}

	@Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED, order = Pipeline.RESULTS)
	void deleted(IBaseResource resource) {
		written(resource);
	}

	void written(IBaseResource resource) {
		BeforeCommit.add(this, List.of(scope(resource)), this::notifyOthers, this::committed);
	}

	/**
	 * The scope a resource's write changes.
	 * @param resource the resource written
	 * @return its partition and type, or {@value ResultCache#EVERYTHING}
	 */
	static String scope(IBaseResource resource) {
		Integer partitionId = RequestPartitionId.getPartitionIfAssigned(resource)
			.filter((partition) -> partition.hasPartitionIds() && partition.getPartitionIds().size() == 1)
			.map(RequestPartitionId::getFirstPartitionIdOrNull)
			.orElse(null);
		String type = (resource != null) ? resource.fhirType() : null;
		return (partitionId != null && type != null) ? ResultCache.scope(partitionId, type) : ResultCache.EVERYTHING;
	}

	private void notifyOthers(List<String> scopes) {
		this.notifier.accept(this.cache.notification(new LinkedHashSet<>(scopes), PAYLOAD_LIMIT));
	}

	private void committed(List<String> scopes) {
		Set<String> distinct = new LinkedHashSet<>(scopes);
		this.cache.changed(distinct);
	}

}
