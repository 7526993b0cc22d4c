package health.crosswalk.conformance;

/**
 * The IHE profiles Crosswalk checks its answers against, each as our own transcription (a
 * differential StructureDefinition built by {@link IheProfiles} under our canonical base)
 * and as the IHE profile it transcribes.
 *
 * <p>
 * Declared parents first: a profile's {@link #parent()} precedes it.
 */
enum IheProfile {

	/** Create of a resource not tied to a patient. */
	BALP_CREATE("balp-create", Spec.BALP, "IHE.BasicAudit.Create", "AuditEvent", null),

	/** Create of a resource tied to a patient. */
	BALP_PATIENT_CREATE("balp-patient-create", Spec.BALP, "IHE.BasicAudit.PatientCreate", "AuditEvent", BALP_CREATE),

	/** Read or vread of a resource not tied to a patient. */
	BALP_READ("balp-read", Spec.BALP, "IHE.BasicAudit.Read", "AuditEvent", null),

	/** Read or vread of a resource tied to a patient. */
	BALP_PATIENT_READ("balp-patient-read", Spec.BALP, "IHE.BasicAudit.PatientRead", "AuditEvent", BALP_READ),

	/** Update or patch of a resource not tied to a patient. */
	BALP_UPDATE("balp-update", Spec.BALP, "IHE.BasicAudit.Update", "AuditEvent", null),

	/** Update or patch of a resource tied to a patient. */
	BALP_PATIENT_UPDATE("balp-patient-update", Spec.BALP, "IHE.BasicAudit.PatientUpdate", "AuditEvent", BALP_UPDATE),

	/** Delete of a resource not tied to a patient. */
	BALP_DELETE("balp-delete", Spec.BALP, "IHE.BasicAudit.Delete", "AuditEvent", null),

	/** Delete of a resource tied to a patient. */
	BALP_PATIENT_DELETE("balp-patient-delete", Spec.BALP, "IHE.BasicAudit.PatientDelete", "AuditEvent", BALP_DELETE),

	/** Search (or search-like operation) not tied to a patient. */
	BALP_QUERY("balp-query", Spec.BALP, "IHE.BasicAudit.Query", "AuditEvent", null),

	/** Search (or search-like operation) tied to a patient. */
	BALP_PATIENT_QUERY("balp-patient-query", Spec.BALP, "IHE.BasicAudit.PatientQuery", "AuditEvent", BALP_QUERY),

	/** The PIXm Manager's record of an {@code $ihe-pix} query (ITI-83). */
	PIXM_QUERY_AUDIT_MANAGER("pixm-query-audit-manager", Spec.PIXM, "IHE.PIXm.Query.Audit.Manager", "AuditEvent",
			BALP_PATIENT_QUERY),

	/** The Parameters an {@code $ihe-pix} query answers. */
	PIXM_QUERY_PARAMETERS_OUT("pixm-query-parameters-out", Spec.PIXM, "IHE.PIXm.Query.Parameters.Out", "Parameters",
			null),

	/** A patient as PDQm returns it. */
	PDQM_PATIENT("pdqm-patient", Spec.PDQM, "IHE.PDQm.Patient", "Patient", null),

	/** The PDQm Supplier's record of a {@code $match} (ITI-119). */
	PDQM_MATCH_AUDIT_SUPPLIER("pdqm-match-audit-supplier", Spec.PDQM, "IHE.PDQm.Match.Audit.Supplier", "AuditEvent",
			BALP_QUERY),

	/** The Bundle a {@code $match} answers. */
	PDQM_MATCH_PARAMETERS_OUT("pdqm-match-parameters-out", Spec.PDQM, "IHE.PDQm.MatchParametersOut", "Bundle", null);

	/** Our canonical base: every transcription's URL starts with it. */
	static final String BASE = "https://crosswalk.health/conformance/";

	private final String id;

	private final Spec spec;

	private final String iheId;

	private final String type;

	private final IheProfile parent;

	IheProfile(String id, Spec spec, String iheId, String type, IheProfile parent) {
		this.id = id;
		this.spec = spec;
		this.iheId = iheId;
		this.type = type;
		this.parent = parent;
	}

	/**
	 * The id of our transcription.
	 * @return e.g. {@code balp-patient-read}
	 */
	String id() {
		return this.id;
	}

	/**
	 * The canonical URL of our transcription.
	 * @return e.g.
	 * {@code https://crosswalk.health/conformance/StructureDefinition/balp-patient-read}
	 */
	String url() {
		return BASE + "StructureDefinition/" + this.id;
	}

	/**
	 * The IHE implementation guide the transcribed profile belongs to.
	 * @return the guide and its version
	 */
	Spec spec() {
		return this.spec;
	}

	/**
	 * The id of the transcribed profile in its IHE guide.
	 * @return e.g. {@code IHE.BasicAudit.PatientRead}
	 */
	String iheId() {
		return this.iheId;
	}

	/**
	 * The canonical URL of the transcribed profile, as IHE's own package publishes it.
	 * @return e.g.
	 * {@code https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientRead}
	 */
	String iheUrl() {
		return this.spec.canonical() + "/StructureDefinition/" + this.iheId;
	}

	/**
	 * What this transcribes, in one line.
	 * @return e.g. {@code IHE BALP 1.1.4 IHE.BasicAudit.PatientRead}
	 */
	String transcribes() {
		return this.spec.label() + " " + this.iheId;
	}

	/**
	 * The resource type the profile constrains.
	 * @return e.g. {@code AuditEvent}
	 */
	String type() {
		return this.type;
	}

	/**
	 * The transcription this one derives from, or none when it derives from the core
	 * resource.
	 * @return the parent, or {@code null}
	 */
	IheProfile parent() {
		return this.parent;
	}

	/**
	 * The URL of the StructureDefinition this one constrains.
	 * @return the parent's URL or the core resource's
	 */
	String baseDefinition() {
		return (this.parent != null) ? this.parent.url() : "http://hl7.org/fhir/StructureDefinition/" + this.type;
	}

	@Override
	public String toString() {
		return this.id + " (" + transcribes() + ")";
	}

	/**
	 * An IHE implementation guide at the version transcribed.
	 */
	enum Spec {

		/** Basic Audit Log Patterns. */
		BALP("IHE BALP", "1.1.4", "https://profiles.ihe.net/ITI/BALP", "ihe.iti.balp"),

		/** Patient Identifier Cross-referencing for mobile. */
		PIXM("IHE PIXm", "3.1.0", "https://profiles.ihe.net/ITI/PIXm", "ihe.iti.pixm"),

		/** Patient Demographics Query for mobile. */
		PDQM("IHE PDQm", "3.2.0", "https://profiles.ihe.net/ITI/PDQm", "ihe.iti.pdqm");

		private final String name;

		private final String version;

		private final String canonical;

		private final String packageId;

		Spec(String name, String version, String canonical, String packageId) {
			this.name = name;
			this.version = version;
			this.canonical = canonical;
			this.packageId = packageId;
		}

		String label() {
			return this.name + " " + this.version;
		}

		String version() {
			return this.version;
		}

		String canonical() {
			return this.canonical;
		}

		/**
		 * The id of IHE's FHIR package, as in its {@code package.json}.
		 * @return e.g. {@code ihe.iti.balp}
		 */
		String packageId() {
			return this.packageId;
		}

	}

}
