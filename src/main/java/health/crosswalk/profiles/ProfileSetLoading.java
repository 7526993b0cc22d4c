package health.crosswalk.profiles;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import ca.uhn.fhir.context.FhirContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The profile set, loaded on a thread of its own from the moment the server starts
 * creating its beans, so that snapshot generation overlaps the rest of the start.
 */
final class ProfileSetLoading {

	private static final Logger log = LoggerFactory.getLogger(ProfileSetLoading.class);

	private final CompletableFuture<ProfileSet> loading;

	private ProfileSetLoading(CompletableFuture<ProfileSet> loading) {
		this.loading = loading;
	}

	static ProfileSetLoading start(FhirContext fhir) {
		CompletableFuture<ProfileSet> loading = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			long start = System.nanoTime();
			try {
				ProfileSet profiles = ProfileSet.load(fhir);
				log.info("Loaded {} profiles ({}) with snapshots in {} ms", profiles.structureDefinitions().size(),
						String.join(", ", profiles.profilesByType().keySet()), (System.nanoTime() - start) / 1_000_000);
				loading.complete(profiles);
			}
			catch (RuntimeException | Error ex) {
				loading.completeExceptionally(ex);
			}
		}, "profiles-loader");
		thread.setDaemon(true);
		thread.start();
		return new ProfileSetLoading(loading);
	}

	/**
	 * The loaded profiles, waiting for them if need be.
	 * @return the profiles
	 * @throws IllegalStateException if they could not be loaded (the start stops)
	 */
	ProfileSet join() {
		try {
			return this.loading.join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof IllegalStateException failure) {
				throw failure;
			}
			throw new IllegalStateException("The profiles could not be loaded", ex.getCause());
		}
	}

}
