package health.crosswalk.profiles;

import java.util.List;
import java.util.concurrent.TimeUnit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.validation.JpaValidationSupportChain;
import ca.uhn.fhir.validation.SingleValidationMessage;
import health.crosswalk.server.Pipeline;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Profile enforcement for the web server. The jar's command line (no web server) loads
 * none of it: it writes only Organizations, which no profile covers, and loading and
 * warming the profiles would cost each command about 15 seconds.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class ProfilesConfiguration {

	private static final Logger log = LoggerFactory.getLogger(ProfilesConfiguration.class);

	/**
	 * Starts reading the profiles and generating their snapshots (seconds of CPU) on a
	 * thread of its own, while the rest of the server starts.
	 */
	@Bean
	ProfileSetLoading profileSetLoading(FhirContext fhir) {
		return ProfileSetLoading.start(fhir);
	}

	@Bean
	ProfileValidation profileValidation(FhirContext fhir, JpaValidationSupportChain chain, ProfileSetLoading loading,
			ProfilesProperties properties) {
		ProfileSet profiles = loading.join();
		// Ahead of the core definitions, so $validate and the enforcement see them first.
		chain.addValidationSupport(0, profiles.support());
		return ProfileValidation.using(fhir, chain, profiles, properties.compiledCheck(), properties.fullCheckEvery());
	}

	@Bean
	ProfileCapability profileCapability(ProfileValidation validation, Pipeline pipeline) {
		ProfileCapability capability = new ProfileCapability(validation.profiles().profilesByType());
		pipeline.add(capability);
		return capability;
	}

	@Bean
	ProfileHooks profileHooks(ProfileValidation validation, Pipeline pipeline, ProfilesProperties properties,
			MeterRegistry registry) {
		Meter.MeterProvider<Timer> timers = Timer.builder("crosswalk.validation")
			.description("Profile validation of a write, by resource type and outcome")
			.withRegistry(registry);
		ProfileHooks hooks = new ProfileHooks(validation,
				(type, refused, nanos) -> timers.withTags("type", type, "outcome", refused ? "refused" : "accepted")
					.record(nanos, TimeUnit.NANOSECONDS));
		if (properties.enforce()) {
			pipeline.add(hooks);
		}
		else {
			log.warn("Profile enforcement is OFF (crosswalk.profiles.enforce=false): non-conforming resources are "
					+ "stored. Use this only to measure validation cost.");
		}
		return hooks;
	}

	/**
	 * Validates the valid examples before the server reports ready: the first validation
	 * costs seconds, and a broken profile set should stop the start, not a client's
	 * write.
	 */
	@Bean
	ApplicationRunner warmProfileValidator(ProfileValidation validation, FhirContext fhir) {
		return (args) -> {
			long start = System.nanoTime();
			List<IBaseResource> examples = ProfileSet.read(fhir, ProfileSet.LOCATION + "examples/*-valid-*.json");
			for (IBaseResource example : examples) {
				List<SingleValidationMessage> errors = ProfileValidation.errors(validation.validate(example));
				if (!errors.isEmpty()) {
					throw new IllegalStateException("The valid example " + example.fhirType() + " fails its profile: "
							+ errors.get(0).getLocationString() + " " + errors.get(0).getMessage());
				}
				if (validation.compiled() != null) {
					// Compiles the profiles and base definitions the examples use.
					validation.compiled()
						.accepts(example, ProfileValidation.options(validation.profiles(), example).getProfiles());
				}
			}
			log.info("Profile validator warmed with {} examples in {} ms", examples.size(),
					(System.nanoTime() - start) / 1_000_000);
		};
	}

}
