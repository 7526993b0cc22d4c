package health.crosswalk.limits;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What one request may ask of the server ({@code crosswalk.limits.*}). Each limit is
 * refused with a 4xx OperationOutcome that names it.
 *
 * @param maxBodySize the largest request body, with or without a {@code Content-Length}
 * (chunked bodies and form posts included)
 * @param maxStringLength the most characters in one string value of a stored resource
 * (base64 attachment data excepted: the body size bounds it)
 * @param maxDecimalLength the most characters a decimal of a stored resource may take
 * when written out without an exponent; bounds its magnitude and precision, so that
 * nothing is stored that cannot be written back
 * @param maxParameters the most parameter values of one request, query and form together
 * @param maxParameterLength the most characters of one parameter value
 * @param maxBundleEntries the most entries of a transaction or batch Bundle. The default
 * admits every Synthea patient bundle measured: the integration tests' (311 entries) and
 * the benchmark's 100 patients aged 0 to 90 (up to 16,354 entries, 16,700 with the
 * Appointments the benchmark adds, in 44 MB)
 * @param maxJsonDepth the most objects and arrays a value of a JSON body may be nested in
 * (the outermost object counts 1). FHIR resources need far fewer (a Synthea bundle 11, a
 * Questionnaire with items nested ten deep in a transaction 26); at most
 * {@value #MAX_DEPTH}, since deeper resources break the validator and Jackson (see
 * {@code XmlScan})
 * @param maxXmlDepth the most elements an element of an XML body may be nested in, itself
 * included (the root element counts 1); at most {@value #MAX_DEPTH}
 * @param maxElements the most elements (primitive and complex, extensions included) one
 * stored resource may hold. Bounds what validating one resource costs (the validator's
 * time grows faster than the element count: 8,000 identifiers in one Patient took 13 s);
 * the largest resource of the benchmark's Synthea patients (a Provenance of a
 * 16,354-entry bundle) has about 33,000
 * @param maxTransactionTime the longest a request may spend writing the resources of one
 * transaction or batch Bundle: an entry to be stored after that is refused and the
 * transaction rolled back. The benchmark's largest Synthea bundle takes about two minutes
 */
@ConfigurationProperties("crosswalk.limits")
record LimitsProperties(@DefaultValue("32MB") DataSize maxBodySize, @DefaultValue("1048576") int maxStringLength,
		@DefaultValue("64") int maxDecimalLength, @DefaultValue("100") int maxParameters,
		@DefaultValue("8192") int maxParameterLength, @DefaultValue("20000") int maxBundleEntries,
		@DefaultValue("64") int maxJsonDepth, @DefaultValue("64") int maxXmlDepth,
		@DefaultValue("50000") int maxElements, @DefaultValue("10m") Duration maxTransactionTime) {

	/** The lowest bundle entry limit, three times the integration tests' patient. */
	static final int MIN_BUNDLE_ENTRIES = 1000;

	/** The lowest depth limit: a Bundle of ordinary resources fits. */
	static final int MIN_DEPTH = 32;

	/**
	 * The highest depth limit: a Patient nested 200 XML elements (400 JSON levels) deep
	 * was stored and read back; one nested 450 deep overflowed the validator's stack.
	 */
	static final int MAX_DEPTH = 200;

	/**
	 * The largest body limit: a body is held in memory (a byte array) while it is read.
	 */
	static final long MAX_BODY_BYTES = 1L << 30;

	LimitsProperties {
		if (maxBodySize.toBytes() < 1024 || maxBodySize.toBytes() > MAX_BODY_BYTES) {
			throw new IllegalArgumentException("crosswalk.limits.max-body-size (CROSSWALK_LIMITS_MAX_BODY_SIZE) must "
					+ "be between 1KB and 1GB, but was " + maxBodySize);
		}
		if (maxStringLength < 1024) {
			throw new IllegalArgumentException("crosswalk.limits.max-string-length "
					+ "(CROSSWALK_LIMITS_MAX_STRING_LENGTH) must be at least 1024, but was " + maxStringLength);
		}
		if (maxParameters < 10 || maxParameterLength < 256) {
			throw new IllegalArgumentException("crosswalk.limits.max-parameters (CROSSWALK_LIMITS_MAX_PARAMETERS) must "
					+ "be at least 10 and crosswalk.limits.max-parameter-length (CROSSWALK_LIMITS_MAX_PARAMETER_LENGTH) "
					+ "at least 256, but were " + maxParameters + " and " + maxParameterLength);
		}
		if (maxBundleEntries < MIN_BUNDLE_ENTRIES) {
			throw new IllegalArgumentException(
					"crosswalk.limits.max-bundle-entries " + "(CROSSWALK_LIMITS_MAX_BUNDLE_ENTRIES) must be at least "
							+ MIN_BUNDLE_ENTRIES + ", but was " + maxBundleEntries);
		}
		if (maxJsonDepth < MIN_DEPTH || maxJsonDepth > MAX_DEPTH) {
			throw new IllegalArgumentException("crosswalk.limits.max-json-depth (CROSSWALK_LIMITS_MAX_JSON_DEPTH) must "
					+ "be between " + MIN_DEPTH + " and " + MAX_DEPTH + ", but was " + maxJsonDepth);
		}
		if (maxXmlDepth < MIN_DEPTH || maxXmlDepth > MAX_DEPTH) {
			throw new IllegalArgumentException("crosswalk.limits.max-xml-depth (CROSSWALK_LIMITS_MAX_XML_DEPTH) must "
					+ "be between " + MIN_DEPTH + " and " + MAX_DEPTH + ", but was " + maxXmlDepth);
		}
		if (maxElements < 1000) {
			throw new IllegalArgumentException("crosswalk.limits.max-elements (CROSSWALK_LIMITS_MAX_ELEMENTS) must be "
					+ "at least 1000, but was " + maxElements);
		}
		if (maxTransactionTime.compareTo(Duration.ofSeconds(10)) < 0
				|| maxTransactionTime.compareTo(Duration.ofHours(1)) > 0) {
			throw new IllegalArgumentException("crosswalk.limits.max-transaction-time "
					+ "(CROSSWALK_LIMITS_MAX_TRANSACTION_TIME) must be between 10s and 1h, but was "
					+ maxTransactionTime);
		}
		if (maxDecimalLength < 20) {
			throw new IllegalArgumentException("crosswalk.limits.max-decimal-length "
					+ "(CROSSWALK_LIMITS_MAX_DECIMAL_LENGTH) must be at least 20, but was " + maxDecimalLength);
		}
	}

}
