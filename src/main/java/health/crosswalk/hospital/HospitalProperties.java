package health.crosswalk.hospital;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The hospital registry ({@code crosswalk.hospital.*}).
 *
 * @param demoData {@code auto} registers two demo hospitals and prints dev-only keys on
 * the first start of the embedded database only; {@code always} does so on any empty
 * registry; {@code never} never does
 */
@ConfigurationProperties("crosswalk.hospital")
record HospitalProperties(@DefaultValue("auto") DemoData demoData) {

	enum DemoData {

		AUTO, ALWAYS, NEVER

	}

}
