package health.crosswalk.migration;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The FHIR {@code $import} operation ({@code crosswalk.import.*}).
 *
 * @param enabled offer {@code $import} and {@code $import-poll-status}, and run their
 * jobs
 * @param allowedUrls the locations ({@code https://host/path/}, each ending in {@code /})
 * under which this server may fetch an import's files; empty: only Binaries of the
 * requester's hospital
 * @param maxBytes the most bytes of files one import may read (all held in memory while
 * it runs)
 * @param maxRunning imports one requester may have queued or running at once; one more is
 * refused (429)
 * @param reportRetention how long an ended import's status and report stay readable
 */
@ConfigurationProperties("crosswalk.import")
record ImportProperties(@DefaultValue("true") boolean enabled, @DefaultValue List<String> allowedUrls,
		@DefaultValue("256MB") DataSize maxBytes, @DefaultValue("2") int maxRunning,
		@DefaultValue("24h") Duration reportRetention) {

	ImportProperties {
		allowedUrls = List.copyOf(allowedUrls);
		for (String url : allowedUrls) {
			URI uri;
			try {
				uri = new URI(url);
			}
			catch (URISyntaxException ex) {
				throw new IllegalArgumentException("crosswalk.import.allowed-urls: '" + url + "' is not a URL.");
			}
			if (!uri.isAbsolute() || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
					|| uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
					|| !url.endsWith("/") || !uri.normalize().toString().equals(url)) {
				throw new IllegalArgumentException("crosswalk.import.allowed-urls: '" + url
						+ "' must be an http(s) URL with a host and no user, query or '..', ending with '/' "
						+ "(such as https://ehr.example.org/export/).");
			}
		}
		if (maxBytes.toBytes() < 1) {
			throw new IllegalArgumentException("crosswalk.import.max-bytes must be positive, not " + maxBytes + ".");
		}
		if (maxRunning < 1) {
			throw new IllegalArgumentException(
					"crosswalk.import.max-running must be at least 1, not " + maxRunning + ".");
		}
		if (reportRetention.compareTo(Duration.ofMinutes(1)) < 0) {
			throw new IllegalArgumentException(
					"crosswalk.import.report-retention must be at least 1m, not " + reportRetention + ".");
		}
	}

}
