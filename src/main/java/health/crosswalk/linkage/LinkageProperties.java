package health.crosswalk.linkage;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Cross-hospital patient linkage ({@code crosswalk.linkage.*}).
 *
 * @param enabled link every Patient write to a universal patient identifier
 * @param sharing let a hospital's {@code Patient/[id]/$everything},
 * {@code Patient/$export} and {@code Group/[id]/$export} include the records linked to
 * the same UPI at other hospitals
 * @param upiSystem identifier system of the UPI carried on Patient responses
 * @param trustedSystems identifier systems shared across hospitals whose values identify
 * one person (national health id, social security number, passport): an equal value links
 * deterministically
 * @param rulesVersion recorded with every decision; change it whenever a threshold
 * changes
 * @param autoLinkThreshold score from which records link without review
 * @param reviewThreshold score from which a possible match is queued for review
 */
@ConfigurationProperties("crosswalk.linkage")
record LinkageProperties(@DefaultValue("true") boolean enabled, @DefaultValue("true") boolean sharing,
		@DefaultValue("https://fhir.crosswalk.health/sid/upi") String upiSystem, @DefaultValue( {
				"http://hl7.org/fhir/sid/us-ssn", "urn:oid:2.16.840.1.113883.4.1" }) List<String> trustedSystems,
		@DefaultValue("fs-2026.1") String rulesVersion, @DefaultValue("17") double autoLinkThreshold,
		@DefaultValue("10") double reviewThreshold){

	LinkageRules rules() {
		return new LinkageRules(this.rulesVersion, this.autoLinkThreshold, this.reviewThreshold);
	}

}
