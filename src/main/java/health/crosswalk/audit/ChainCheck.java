package health.crosswalk.audit;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Verifies the audit hash chain of any database holding Crosswalk's schema, such as a
 * backup restored into a scratch database, without a server: the same check as
 * {@code AuditEvent/$verify}, read-only, with the key of the configured
 * {@code crosswalk.audit.hmac-key}.
 */
public final class ChainCheck {

	private final AuditChain chain;

	private ChainCheck(AuditChain chain) {
		this.chain = chain;
	}

	/**
	 * A check of the chain in a database.
	 * @param dataSource connections to that database
	 * @param environment where {@code crosswalk.audit.hmac-key} is read
	 * @return the check
	 */
	public static ChainCheck of(DataSource dataSource, Environment environment) {
		AuditProperties properties = Binder.get(environment).bindOrCreate("crosswalk.audit", AuditProperties.class);
		byte[] key = (properties.hmacKey() != null) ? properties.hmacKey().getBytes(StandardCharsets.UTF_8) : null;
		return new ChainCheck(new AuditChain(dataSource, new ChainHash(key), new AuditText()));
	}

	/**
	 * Verifies the whole chain and that it still holds a head taken earlier.
	 * @param anchorPosition the earlier head's position, or 0 when nothing was sealed
	 * @param anchorHash its hash, hex
	 * @return the outcome
	 * @throws SQLException if the database fails
	 */
	public Outcome verify(long anchorPosition, String anchorHash) throws SQLException {
		AuditChain.Anchor anchor = (anchorPosition > 0) ? new AuditChain.Anchor(anchorPosition, anchorHash) : null;
		try {
			AuditChain.Verdict verdict = this.chain.verify(null, null, anchor);
			AuditChain.Broken broken = verdict.broken();
			return new Outcome(verdict.result(), verdict.checked(), verdict.unsealed(),
					(broken != null) ? "at position " + broken.position() + ": " + broken.reason() : null);
		}
		catch (AuditChain.KeyRequiredException ex) {
			return new Outcome("unverifiable", 0, 0, ex.getMessage());
		}
	}

	/**
	 * What a check found.
	 *
	 * @param result {@code intact}, {@code incomplete} (what was checked is intact; some
	 * records are not sealed yet), {@code broken} or {@code unverifiable} (keyed links
	 * and no key)
	 * @param checked links checked and found intact
	 * @param unsealed records not sealed, so not checked
	 * @param problem what is wrong, or null
	 */
	public record Outcome(String result, long checked, long unsealed, String problem) {

		/**
		 * Whether nothing checked was found altered or missing.
		 * @return true for {@code intact} and {@code incomplete}
		 */
		public boolean holds() {
			return this.result.equals("intact") || this.result.equals("incomplete");
		}

	}

}
