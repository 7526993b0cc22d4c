package health.crosswalk.database;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Properties;

/**
 * The embedded database's generated passwords, kept in a file only its owner may read.
 *
 * @param superuserPassword the {@code postgres} superuser's, for migrations and
 * maintenance
 * @param applicationPassword the application role's, for the server's own connections
 */
record Credentials(String superuserPassword, String applicationPassword) {

	private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final String SUPERUSER = "superuser.password";

	private static final String APPLICATION = "application.password";

	/**
	 * Reads the file, or makes it with new passwords.
	 * @param file where the passwords are kept
	 * @return the passwords
	 * @throws IOException if the file cannot be read or written
	 */
	static Credentials loadOrCreate(Path file) throws IOException {
		if (Files.exists(file)) {
			Properties properties = new Properties();
			try (Reader reader = Files.newBufferedReader(file)) {
				properties.load(reader);
			}
			String superuser = properties.getProperty(SUPERUSER);
			String application = properties.getProperty(APPLICATION);
			if (superuser == null || application == null) {
				throw new IOException(file + " lacks " + SUPERUSER + " or " + APPLICATION);
			}
			return new Credentials(superuser, application);
		}
		Credentials credentials = new Credentials(generate(), generate());
		Properties properties = new Properties();
		properties.setProperty(SUPERUSER, credentials.superuserPassword());
		properties.setProperty(APPLICATION, credentials.applicationPassword());
		Path temporary = file.resolveSibling(file.getFileName() + ".new");
		Files.deleteIfExists(temporary);
		if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
			Files.createFile(temporary,
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		}
		try (Writer writer = Files.newBufferedWriter(temporary)) {
			properties.store(writer, "Passwords of the embedded PostgreSQL next to this file; keep them with it");
		}
		Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
		return credentials;
	}

	static String generate() {
		StringBuilder password = new StringBuilder(32);
		for (int i = 0; i < 32; i++) {
			password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
		}
		return password.toString();
	}

	@Override
	public String toString() {
		return "Credentials[hidden]";
	}

}
