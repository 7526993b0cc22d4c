package health.crosswalk.hospital;

/**
 * A newly issued API key: the only time its secret is seen.
 *
 * @param key the whole key to send as {@code Authorization: Bearer <key>}
 * @param info what was stored
 */
record IssuedKey(String key, ApiKeyInfo info) {

	@Override
	public String toString() {
		return "IssuedKey[keyId=" + this.info.keyId() + ", key=<shown once>]";
	}

}
