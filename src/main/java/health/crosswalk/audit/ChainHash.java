package health.crosswalk.audit;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.commons.codec.digest.DigestUtils;
import org.apache.commons.codec.digest.HmacAlgorithms;
import org.apache.commons.codec.digest.HmacUtils;

/**
 * The arithmetic of the audit hash chain, without storage.
 *
 * <p>
 * An event's digest is SHA-256 over a canonical, length-prefixed encoding of every column
 * of its row, so a change to any of them shows. A chain link is
 * {@code H(previous hash || position || event digest)}, H being SHA-256, or HMAC-SHA-256
 * when a key is configured; the first link's previous hash is 32 zero bytes.
 */
final class ChainHash {

	static final String SHA256 = "sha256";

	static final String HMAC_SHA256 = "hmac-sha256";

	static final byte[] GENESIS = new byte[32];

	private final byte[] key;

	/**
	 * @param key the HMAC key, or null for plain SHA-256
	 */
	ChainHash(byte[] key) {
		this.key = (key != null) ? key.clone() : null;
	}

	/**
	 * The algorithm new links are made with.
	 * @return {@link #SHA256} or {@link #HMAC_SHA256}
	 */
	String algorithm() {
		return (this.key != null) ? HMAC_SHA256 : SHA256;
	}

	/**
	 * Whether links made with an algorithm can be checked here.
	 * @param algorithm a link's algorithm
	 * @return false for keyed links when no key is configured
	 */
	boolean canVerify(String algorithm) {
		return SHA256.equals(algorithm) || (HMAC_SHA256.equals(algorithm) && this.key != null);
	}

	/**
	 * A chain link.
	 * @param algorithm the link's algorithm
	 * @param previous the previous link's hash
	 * @param position the link's position, from 1
	 * @param eventDigest the event's digest
	 * @return the link's hash
	 */
	byte[] link(String algorithm, byte[] previous, long position, byte[] eventDigest) {
		byte[] message = ByteBuffer.allocate(previous.length + Long.BYTES + eventDigest.length)
			.put(previous)
			.putLong(position)
			.put(eventDigest)
			.array();
		if (HMAC_SHA256.equals(algorithm)) {
			return new HmacUtils(HmacAlgorithms.HMAC_SHA_256, this.key).hmac(message);
		}
		return DigestUtils.sha256(message);
	}

	/**
	 * A MAC over a message, made like a link: HMAC-SHA-256 with the key, or SHA-256.
	 * @param algorithm {@link #SHA256} or {@link #HMAC_SHA256}
	 * @param message the message
	 * @return 32 bytes
	 */
	byte[] mac(String algorithm, byte[] message) {
		if (HMAC_SHA256.equals(algorithm)) {
			return new HmacUtils(HmacAlgorithms.HMAC_SHA_256, this.key).hmac(message);
		}
		return DigestUtils.sha256(message);
	}

	/**
	 * The digest of an event row over all its columns.
	 * @param row the row
	 * @return 32 bytes
	 */
	static byte[] digest(AuditRow row) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(row.resource().length() + 512);
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			text(out, row.id().toString());
			out.writeLong(row.recorded());
			text(out, row.hospital());
			text(out, row.type());
			list(out, row.subtypes());
			out.writeChar(row.action());
			out.writeInt(row.outcome());
			text(out, row.patient());
			list(out, row.agents());
			list(out, row.entities());
			text(out, row.source());
			text(out, row.requestId());
			text(out, row.resource());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return DigestUtils.sha256(bytes.toByteArray());
	}

	private static void list(DataOutputStream out, List<String> values) throws IOException {
		out.writeInt(values.size());
		for (String value : values) {
			text(out, value);
		}
	}

	private static void text(DataOutputStream out, String value) throws IOException {
		if (value == null) {
			out.writeInt(-1);
			return;
		}
		byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
		out.writeInt(utf8.length);
		out.write(utf8);
	}

}
