package health.crosswalk.database;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files that hold every patient's data (backups, audit archives): readable by their owner
 * only (where the file system has POSIX permissions), and on disk before anything relies
 * on them.
 */
public final class PrivateFiles {

	private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

	private PrivateFiles() {
	}

	/**
	 * Creates a folder only its owner may enter, unless it exists.
	 * @param folder the folder
	 */
	public static void folder(Path folder) throws IOException {
		if (!Files.isDirectory(folder)) {
			Files.createDirectories(folder, attributes("rwx------"));
		}
	}

	/**
	 * Creates an empty file only its owner may read (replacing a leftover), for a tool or
	 * writer that keeps the mode of the file it opens.
	 * @param file the file
	 */
	public static void create(Path file) throws IOException {
		Files.deleteIfExists(file);
		Files.createFile(file, attributes("rw-------"));
	}

	/**
	 * Forces a file, or a folder's entries, to disk.
	 * @param path the file or folder
	 */
	public static void sync(Path path) throws IOException {
		try (FileChannel channel = FileChannel.open(path,
				Files.isDirectory(path) ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
			channel.force(true);
		}
	}

	private static FileAttribute<?>[] attributes(String permissions) {
		return POSIX
				? new FileAttribute<?>[] {
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)) }
				: new FileAttribute<?>[0];
	}

}
