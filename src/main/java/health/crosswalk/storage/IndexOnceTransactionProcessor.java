package health.crosswalk.storage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.api.model.DaoMethodOutcome;
import ca.uhn.fhir.jpa.dao.EntriesToProcessMap;
import ca.uhn.fhir.jpa.dao.ITransactionProcessorVersionAdapter;
import ca.uhn.fhir.jpa.dao.IdSubstitutionMap;
import ca.uhn.fhir.jpa.dao.TransactionProcessor;
import ca.uhn.fhir.jpa.esr.ExternallyStoredResourceAddress;
import ca.uhn.fhir.jpa.esr.ExternallyStoredResourceAddressMetadataKey;
import ca.uhn.fhir.jpa.esr.IExternallyStoredResourceService;
import ca.uhn.fhir.jpa.model.entity.ResourceTable;
import ca.uhn.fhir.jpa.model.util.JpaConstants;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.util.StopWatch;
import org.apache.commons.lang3.StringUtils;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * HAPI's transaction processor, less the first of the two times it extracts the search
 * parameters of each resource a bundle creates and encodes it.
 *
 * <p>
 * HAPI 8.8 writes a transaction bundle in two passes. The first creates each entry with
 * its placeholder references unresolved ({@code create} without indexing); the second
 * resolves the placeholders and saves each resource again, extracting its search
 * parameters and writing its index rows. The first pass extracts every search parameter
 * of a new resource too (a condition in {@code BaseHapiFhirDao.updateEntity} that its own
 * comment doubts), and uses little of it: with indexing off it writes no index row,
 * checks no conditional match and resolves no inline match URL; only the row's index
 * flags ({@code SP_*_PRESENT}) come from it. Of a benchmark ingest's CPU samples, that
 * first extraction was 7 %.
 *
 * <p>
 * The first pass also encodes each new resource to JSON and hashes it, with its
 * placeholders, to store nothing of it: the second pass encodes the resolved resource
 * again and stores that. That first encoding was 4.5 % of the samples.
 *
 * <p>
 * This processor marks each resource of a plain create entry ({@code POST} without
 * {@code ifNoneExist}) before the entries run, with HAPI's own
 * {@code RESOURCE_SKIP_INDEXING} and with the address of {@link #FIRST_PASS}, an
 * "externally stored resource" provider whose resources HAPI does not encode. It takes
 * both marks off between the passes ({@code postTransactionProcess}, which HAPI calls
 * after the last create and before the first resolution), and clears each marked
 * resource's hash, so that the second pass, which sets the row's index flags
 * ({@code SP_*_PRESENT}) only for a resource changed since the first, sets them for every
 * one. Should a later HAPI no longer call it there, the marks would reach the second pass
 * and leave resources unindexed and their text unstored; the transaction then fails (500)
 * instead, before anything commits. A version stored as kept elsewhere regardless would
 * fail to read, not read as something else. {@code IndexOnceTransactionProcessorIT}
 * compares each resource's index rows, flags and stored text with those of the same
 * resource created alone.
 */
final class IndexOnceTransactionProcessor extends TransactionProcessor {

	private static final String MARKED = IndexOnceTransactionProcessor.class.getName() + ".marked";

	/**
	 * The "store" of the first pass: HAPI encodes no resource whose text is kept
	 * elsewhere.
	 */
	static final IExternallyStoredResourceService FIRST_PASS = new IExternallyStoredResourceService() {

		@Override
		public String getId() {
			return "crosswalk-first-pass";
		}

		@Override
		public IBaseResource fetchResource(String address) {
			throw new InternalErrorException("A resource version was stored as \"kept elsewhere\" (" + address
					+ "), which Crosswalk never does; its text is missing.");
		}

	};

	private static final ExternallyStoredResourceAddress FIRST_PASS_ADDRESS = new ExternallyStoredResourceAddress(
			FIRST_PASS.getId(), "not-stored");

	private final FhirContext fhirContext;

	IndexOnceTransactionProcessor(FhirContext fhirContext) {
		this.fhirContext = fhirContext;
	}

	@Override
	protected EntriesToProcessMap doTransactionWriteOperations(RequestDetails request,
			RequestPartitionId requestPartitionId, String actionName, TransactionDetails transactionDetails,
			Set<IIdType> allIds, IdSubstitutionMap idSubstitutions, Map<IIdType, DaoMethodOutcome> idToPersistedOutcome,
			IBaseBundle response, IdentityHashMap<IBase, Integer> originalRequestOrder, List<IBase> entries,
			StopWatch transactionStopWatch) {
		List<IBaseResource> marked = new ArrayList<>();
		@SuppressWarnings("unchecked")
		ITransactionProcessorVersionAdapter<IBaseBundle, IBase> adapter = getVersionAdapter();
		for (IBase entry : entries) {
			IBaseResource resource = adapter.getResource(entry);
			if (resource != null && "POST".equals(adapter.getEntryRequestVerb(this.fhirContext, entry))
					&& StringUtils.isBlank(adapter.getEntryRequestIfNoneExist(entry))
					&& resource.getUserData(JpaConstants.RESOURCE_SKIP_INDEXING) == null) {
				resource.setUserData(JpaConstants.RESOURCE_SKIP_INDEXING, Boolean.TRUE);
				ExternallyStoredResourceAddressMetadataKey.INSTANCE.put(resource, FIRST_PASS_ADDRESS);
				marked.add(resource);
			}
		}
		transactionDetails.putUserData(MARKED, new Marks(marked, idToPersistedOutcome));
		boolean completed = false;
		try {
			EntriesToProcessMap result = super.doTransactionWriteOperations(request, requestPartitionId, actionName,
					transactionDetails, allIds, idSubstitutions, idToPersistedOutcome, response, originalRequestOrder,
					entries, transactionStopWatch);
			completed = true;
			return result;
		}
		finally {
			boolean unmarkedBetweenPasses = unmark(transactionDetails) == 0;
			if (completed && !unmarkedBetweenPasses) {
				throw new InternalErrorException("The transaction's resources were not unmarked between HAPI's "
						+ "two passes; their index rows would be missing, so the transaction is rolled back.");
			}
		}
	}

	@Override
	protected void postTransactionProcess(TransactionDetails transactionDetails) {
		super.postTransactionProcess(transactionDetails);
		unmark(transactionDetails);
	}

	/**
	 * Takes the marks off, and clears the hash of each marked resource's row: the second
	 * pass sets a new resource's index flags ({@code SP_*_PRESENT}) only when the
	 * resource's hash changed since the first, which for a resource without placeholders
	 * it does not, and the first pass, which set them before, no longer extracts. (With
	 * the stored-elsewhere mark the first pass sets no hash either; clearing it keeps the
	 * flags right without relying on that.)
	 * @return how many resources were still marked
	 */
	private static int unmark(TransactionDetails transactionDetails) {
		Marks marks = (Marks) transactionDetails.getUserData(MARKED);
		if (marks == null) {
			return 0;
		}
		transactionDetails.putUserData(MARKED, null);
		Set<IBaseResource> marked = Collections.newSetFromMap(new IdentityHashMap<>());
		for (IBaseResource resource : marks.resources()) {
			resource.setUserData(JpaConstants.RESOURCE_SKIP_INDEXING, null);
			ExternallyStoredResourceAddressMetadataKey.INSTANCE.put(resource, null);
			marked.add(resource);
		}
		for (DaoMethodOutcome outcome : marks.outcomes().values()) {
			if (marked.contains(outcome.getResource()) && outcome.getEntity() instanceof ResourceTable entity) {
				entity.setHashSha256(null);
			}
		}
		return marks.resources().size();
	}

	private record Marks(List<IBaseResource> resources, Map<IIdType, DaoMethodOutcome> outcomes) {
	}

}
