package health.crosswalk.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.util.ICachedSearchDetails;
import health.crosswalk.server.Pipeline;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Storage-level checks, registered on HAPI's JPA interceptor service so they also see
 * every entry of transaction and batch bundles and every resource about to be shown
 * ({@code _include}, {@code _revinclude}, {@code $everything}). Internal (system)
 * requests are not checked; they get the default partition unless they name one.
 */
@Interceptor
final class FhirStorageHooks {

	private static final Logger log = LoggerFactory.getLogger(FhirStorageHooks.class);

	private final FhirAccessPolicy policy;

	private final SearchPageOwners pageOwners;

	FhirStorageHooks(FhirAccessPolicy policy, SearchPageOwners pageOwners) {
		this.policy = policy;
		this.pageOwners = pageOwners;
	}

	@Hook(value = Pointcut.STORAGE_PRESEARCH_REGISTERED, order = Pipeline.PAGE_OWNER)
	void searchRegistered(ICachedSearchDetails search, RequestDetails request, SearchParameterMap parameters) {
		// Searches run inline (conditional writes, bundle entries) have no id and no
		// pages; offset searches are not stored, their links repeat the query.
		if (!Principals.isInternal(request) && search.getUuid() != null && !parameters.isOffsetQuery()) {
			this.pageOwners.record(search.getUuid(), this.policy.partitionKey(Principals.of(request)));
		}
	}

	@Hook(value = Pointcut.STORAGE_PARTITION_IDENTIFY_ANY, order = Pipeline.AUTHORIZE)
	RequestPartitionId identifyPartition(RequestDetails request) {
		if (Principals.isInternal(request)) {
			return RequestPartitionId.defaultPartition();
		}
		return this.policy.partitionFor(Principals.of(request), request.getRestOperationType());
	}

	@Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = Pipeline.AUTHORIZE)
	void creating(IBaseResource resource, RequestDetails request) {
		checkWrite(request, 'c', resource, null);
	}

	@Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, order = Pipeline.AUTHORIZE)
	void updating(IBaseResource previous, IBaseResource resource, RequestDetails request) {
		checkWrite(request, 'u', resource, previous);
	}

	@Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED, order = Pipeline.AUTHORIZE)
	void deleting(IBaseResource resource, RequestDetails request) {
		checkWrite(request, 'd', resource, null);
	}

	@Hook(value = Pointcut.STORAGE_PRESHOW_RESOURCES, order = Pipeline.AUTHORIZE)
	void showing(IPreResourceShowDetails resources, RequestDetails request) {
		if (Principals.isInternal(request)) {
			return;
		}
		CrosswalkPrincipal principal = Principals.of(request);
		for (int i = 0; i < resources.size(); i++) {
			IBaseResource resource = resources.getResource(i);
			if (resource == null) {
				continue;
			}
			if (!this.policy.mayShowFrom(principal, RequestPartitionId.getPartitionIfAssigned(resource).orElse(null))) {
				log.warn("Withheld {} from another partition from the caller of request {}",
						resource.getIdElement().toUnqualifiedVersionless(), request.getRequestId());
				resources.setResource(i, null);
			}
			else if (!this.policy.mayShow(principal, resource.fhirType())) {
				resources.setResource(i, null);
			}
		}
	}

	private void checkWrite(RequestDetails request, char interaction, IBaseResource resource, IBaseResource previous) {
		if (Principals.isInternal(request)) {
			return;
		}
		CrosswalkPrincipal principal = Principals.of(request);
		this.policy.checkWrite(principal, resource.fhirType(), interaction);
		this.policy.checkNotManaged(resource, previous);
		if (interaction != 'd') {
			FhirAccessPolicy.checkNoServerTag(resource);
			this.policy.checkIdentifierSystems(principal, resource);
			SenderSource.name(principal, resource);
		}
	}

}
