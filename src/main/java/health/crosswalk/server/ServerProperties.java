package health.crosswalk.server;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The FHIR REST API ({@code crosswalk.server.*}).
 *
 * @param baseUrl public base URL written into links and {@code Location} headers, such as
 * {@code https://fhir.example.org/fhir}; empty derives it from each request (honouring
 * {@code X-Forwarded-*} headers from a trusted proxy)
 * @param defaultPageSize entries per search page when the client sends no {@code _count}
 * @param maxPageSize the largest {@code _count} honoured
 * @param paging how search results are paged: {@code offset} runs the query for each page
 * ({@link OffsetPaging}); {@code stored} keeps HAPI's stored searches, paged by id
 */
@ConfigurationProperties("crosswalk.server")
record ServerProperties(URI baseUrl, @DefaultValue("20") int defaultPageSize, @DefaultValue("200") int maxPageSize,
		@DefaultValue("offset") Paging paging) {

	/**
	 * How search results are paged.
	 */
	enum Paging {

		/** One query per page, links by offset. */
		OFFSET,

		/** HAPI's stored searches, links by search id. */
		STORED

	}

	ServerProperties {
		if (baseUrl != null && !baseUrl.toString().isBlank()
				&& (!baseUrl.isAbsolute() || !baseUrl.getScheme().startsWith("http"))) {
			throw new IllegalArgumentException(
					"crosswalk.server.base-url (CROSSWALK_SERVER_BASE_URL) must be an absolute http(s) URL such as "
							+ "https://fhir.example.org/fhir, but was '" + baseUrl + "'");
		}
		if (defaultPageSize < 1 || maxPageSize < defaultPageSize) {
			throw new IllegalArgumentException("crosswalk.server.default-page-size must be at least 1 and at most "
					+ "crosswalk.server.max-page-size, but were " + defaultPageSize + " and " + maxPageSize);
		}
	}

	boolean hasBaseUrl() {
		return this.baseUrl != null && !this.baseUrl.toString().isBlank();
	}

}
