package health.crosswalk.hospital;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import health.crosswalk.hospital.RegistryCache.Read;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the registry's cache keeps, and when it reads the database again.
 */
class RegistryCacheTest {

	private Instant now = Instant.parse("2026-12-06T12:00:00Z");

	private final RegistryCache cache = new RegistryCache(new Clock() {

		@Override
		public Instant instant() {
			return RegistryCacheTest.this.now;
		}

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

	});

	private final AtomicInteger reads = new AtomicInteger();

	private Function<String, Optional<Read<String>>> database(String value) {
		return (id) -> {
			this.reads.incrementAndGet();
			return Optional.of(Read.lasting(value + " " + id));
		};
	}

	@Test
	void nothingIsKeptUntilASessionListens() {
		assertThat(this.cache.get("key", "a", database("v1"))).contains("v1 a");
		assertThat(this.cache.get("key", "a", database("v2"))).contains("v2 a");
		assertThat(this.reads).hasValue(2);
	}

	@Test
	void whileListeningAValueIsReadOnceUntilTheRegistryChanges() {
		this.cache.listening(true);
		assertThat(this.cache.get("key", "a", database("v1"))).contains("v1 a");
		assertThat(this.cache.get("key", "a", database("v2"))).contains("v1 a");
		assertThat(this.cache.get("hospital", "a", database("h"))).as("kinds are apart").contains("h a");
		assertThat(this.reads).hasValue(2);

		this.cache.changed();
		assertThat(this.cache.get("key", "a", database("v2"))).contains("v2 a");
		assertThat(this.reads).hasValue(3);
	}

	@Test
	void aChangeDuringAReadIsNotKeptPastIt() {
		this.cache.listening(true);
		// The change commits, and its notification arrives, while the old row is read.
		assertThat(this.cache.get("key", "a", (id) -> {
			this.cache.changed();
			return Optional.of(Read.lasting("old"));
		})).contains("old");
		assertThat(this.cache.get("key", "a", database("new"))).contains("new a");
	}

	@Test
	void losingTheSessionForgetsEverythingAndStopsKeeping() {
		this.cache.listening(true);
		this.cache.get("key", "a", database("v1"));
		this.cache.listening(false);
		assertThat(this.cache.get("key", "a", database("v2"))).contains("v2 a");
		assertThat(this.cache.get("key", "a", database("v3"))).contains("v3 a");

		this.cache.listening(true);
		assertThat(this.cache.get("key", "a", database("v4"))).contains("v4 a");
		assertThat(this.cache.get("key", "a", database("v5"))).contains("v4 a");
	}

	@Test
	void aKeyIsReadAgainAtItsExpiryAndAnythingAfterAMinute() {
		this.cache.listening(true);
		Instant expiry = this.now.plusSeconds(10);
		Function<String, Optional<Read<String>>> expiring = (id) -> {
			this.reads.incrementAndGet();
			return Optional.of(new Read<>("key " + this.reads.get(), expiry));
		};
		assertThat(this.cache.get("key", "a", expiring)).contains("key 1");
		this.now = this.now.plusSeconds(9);
		assertThat(this.cache.get("key", "a", expiring)).contains("key 1");
		this.now = this.now.plusSeconds(1);
		assertThat(this.cache.get("key", "a", expiring)).as("at its expiry").contains("key 2");

		assertThat(this.cache.get("hospital", "h", database("h1"))).contains("h1 h");
		this.now = this.now.plus(RegistryCache.LIFETIME).minusMillis(1);
		assertThat(this.cache.get("hospital", "h", database("h2"))).contains("h1 h");
		this.now = this.now.plus(Duration.ofMillis(1));
		assertThat(this.cache.get("hospital", "h", database("h3"))).contains("h3 h");
	}

	@Test
	void whatIsNotFoundIsNotKept() {
		this.cache.listening(true);
		Function<String, Optional<Read<String>>> none = (id) -> {
			this.reads.incrementAndGet();
			return Optional.empty();
		};
		assertThat(this.cache.get("key", "unknown", none)).isEmpty();
		assertThat(this.cache.get("key", "unknown", none)).isEmpty();
		assertThat(this.reads).hasValue(2);
	}

}
