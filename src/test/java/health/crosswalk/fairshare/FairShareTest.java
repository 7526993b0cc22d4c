package health.crosswalk.fairshare;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class FairShareTest {

	@Test
	void aFullLaneQueuesThenRefusesWhileOtherLanesRun() throws Exception {
		FairShare share = new FairShare(2, 1, Duration.ofSeconds(30));
		FairShare.Turn first = share.enter("a");
		FairShare.Turn second = share.enter("a");
		assertThat(first).isNotNull();
		assertThat(second).isNotNull();
		assertThat(share.running("a")).isEqualTo(2);

		CompletableFuture<FairShare.Turn> queued = CompletableFuture.supplyAsync(() -> enter(share, "a"));
		await().atMost(10, TimeUnit.SECONDS).until(() -> share.waiting("a") == 1);
		assertThat(share.enter("a")).as("the queue is full").isNull();

		FairShare.Turn other = share.enter("b");
		assertThat(other).as("another hospital's lane is free").isNotNull();

		first.close();
		FairShare.Turn third = queued.get(10, TimeUnit.SECONDS);
		assertThat(third).as("the queued request gets the freed turn").isNotNull();
		assertThat(share.waiting("a")).isZero();
		second.close();
		third.close();
		other.close();
		assertThat(share.running("a")).isZero();
	}

	@Test
	void aFreedTurnGoesToTheRequestWaitingNotToANewcomer() throws Exception {
		FairShare share = new FairShare(1, 1, Duration.ofSeconds(2));
		FairShare.Turn first = share.enter("a");
		CompletableFuture<FairShare.Turn> waiting = CompletableFuture.supplyAsync(() -> enter(share, "a"));
		await().atMost(10, TimeUnit.SECONDS).until(() -> share.waiting("a") == 1);
		first.close();
		FairShare.Turn newcomer = share.enter("a");
		FairShare.Turn waited = waiting.get(10, TimeUnit.SECONDS);
		assertThat(waited).as("the waiting request's turn").isNotNull();
		assertThat(newcomer).as("the newcomer waits behind it and times out").isNull();
		waited.close();
	}

	@Test
	void aRequestWaitsNoLongerThanTheQueueTimeout() throws Exception {
		FairShare share = new FairShare(1, 5, Duration.ofMillis(100));
		FairShare.Turn only = share.enter("a");
		long start = System.nanoTime();
		assertThat(share.enter("a")).isNull();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(90), Duration.ofSeconds(5));
		assertThat(share.waiting("a")).isZero();
		only.close();
		try (FairShare.Turn next = share.enter("a")) {
			assertThat(next).isNotNull();
		}
	}

	@Test
	void withoutAQueueABusyLaneRefusesAtOnce() throws Exception {
		FairShare share = new FairShare(1, 0, Duration.ofSeconds(30));
		try (FairShare.Turn only = share.enter("a")) {
			assertThat(share.enter("a")).isNull();
		}
	}

	@Test
	void refusalsTellWhenToRetry() {
		assertThat(new FairShareProperties(4, 16, Duration.ofMillis(4500)).retryAfterSeconds()).isEqualTo(5);
		assertThat(new FairShareProperties(4, 16, Duration.ZERO).retryAfterSeconds()).isEqualTo(1);
	}

	private static FairShare.Turn enter(FairShare share, String lane) {
		try {
			return share.enter(lane);
		}
		catch (InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
