package health.crosswalk.server;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

class BundleShapeTest {

	@Test
	void acceptsWellFormedTransactionsAndBatches() {
		Bundle transaction = new Bundle().setType(BundleType.TRANSACTION);
		transaction.addEntry().setResource(new Patient()).getRequest().setMethod(HTTPVerb.POST).setUrl("Patient");
		transaction.addEntry().getRequest().setMethod(HTTPVerb.DELETE).setUrl("Patient/1");
		assertThatNoException().isThrownBy(() -> BundleShape.check(transaction));
		Bundle batch = new Bundle().setType(BundleType.BATCH);
		batch.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Patient?family=x");
		assertThatNoException().isThrownBy(() -> BundleShape.check(batch));
	}

	@Test
	void refusesBundlesWithoutATypeOrOfAnotherType() {
		assertThatExceptionOfType(CrosswalkException.class).isThrownBy(() -> BundleShape.check(new Bundle()))
			.withMessageContaining("Bundle.type is missing");
		assertThatExceptionOfType(CrosswalkException.class)
			.isThrownBy(() -> BundleShape.check(new Bundle().setType(BundleType.COLLECTION)))
			.withMessageContaining("'collection'");
	}

	@Test
	void refusesEntriesWithoutRequestOrWithoutTheirResource() {
		Bundle noRequest = new Bundle().setType(BundleType.TRANSACTION);
		noRequest.addEntry().setResource(new Patient());
		assertThatExceptionOfType(CrosswalkException.class).isThrownBy(() -> BundleShape.check(noRequest))
			.withMessageContaining("Bundle.entry[0].request.method");

		Bundle noUrl = new Bundle().setType(BundleType.BATCH);
		noUrl.addEntry().getRequest().setMethod(HTTPVerb.GET);
		assertThatExceptionOfType(CrosswalkException.class).isThrownBy(() -> BundleShape.check(noUrl))
			.withMessageContaining("Bundle.entry[0].request.url");

		Bundle noResource = new Bundle().setType(BundleType.TRANSACTION);
		noResource.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Patient/1");
		noResource.addEntry().getRequest().setMethod(HTTPVerb.POST).setUrl("Patient");
		assertThatExceptionOfType(CrosswalkException.class).isThrownBy(() -> BundleShape.check(noResource))
			.withMessageContaining("Bundle.entry[1].resource is missing");
	}

	@Test
	void refusesHeadEntriesWhichHapiCannotRun() {
		Bundle head = new Bundle().setType(BundleType.TRANSACTION);
		head.addEntry().getRequest().setMethod(HTTPVerb.HEAD).setUrl("Patient");
		assertThatExceptionOfType(CrosswalkException.class).isThrownBy(() -> BundleShape.check(head))
			.withMessageContaining("Bundle.entry[0].request.method is HEAD");
	}

}
