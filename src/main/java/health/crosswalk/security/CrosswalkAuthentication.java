package health.crosswalk.security;

import java.util.ArrayList;
import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A successful authentication: the principal, with its role as a Spring authority
 * ({@code ROLE_admin}, ...). The credential itself is not kept.
 */
final class CrosswalkAuthentication extends AbstractAuthenticationToken {

	private final CrosswalkPrincipal principal;

	CrosswalkAuthentication(CrosswalkPrincipal principal) {
		super(authorities(principal));
		this.principal = principal;
		setAuthenticated(true);
	}

	private static List<GrantedAuthority> authorities(CrosswalkPrincipal principal) {
		List<GrantedAuthority> authorities = new ArrayList<>();
		if (principal.role() != null) {
			authorities.add(new SimpleGrantedAuthority("ROLE_" + principal.role().code()));
		}
		return authorities;
	}

	@Override
	public Object getCredentials() {
		return "";
	}

	@Override
	public CrosswalkPrincipal getPrincipal() {
		return this.principal;
	}

	@Override
	public String getName() {
		return this.principal.subject();
	}

}
