package health.crosswalk.hospital;

/**
 * A registry request that cannot be carried out, with its stable code.
 */
final class HospitalException extends RuntimeException {

	private final HospitalError error;

	HospitalException(HospitalError error, String message) {
		super(message);
		this.error = error;
	}

	HospitalError error() {
		return this.error;
	}

}
