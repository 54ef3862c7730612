package io.linehub.sftp;

import org.apache.camel.Exchange;
import org.apache.camel.component.file.remote.FtpConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SFTP pickup's one step (routes/sftp-pickup.camel.yaml): hand a completely downloaded file over to a local inbox
 * folder so that the inbox sees it whole or not at all, and the same file handed over twice adds nothing.
 * <p>
 * camel-ftp downloads into the route's work folder inside the inbox ({@code <inbox>/.sftp/<name>/}: hidden, not
 * listed by the inbox, on the same file system) and only gives the route a file it received entirely. This step
 * flushes it to disk, then links it into the inbox under the remote name in one step, which fails instead of
 * replacing a file already there: a file there with the same content is this one, handed over before (by a run that
 * stopped before the server-side move), and the download is dropped; one with other content (yesterday's export of the
 * same name, still being read) makes this one {@code <stem>-<first 12 hex of its SHA-256><ext>}. The inbox folder is
 * flushed too, so the file is still there after a power cut once the server has moved its copy to done.
 */
public class SftpFiles {

    private static final Logger LOG = LoggerFactory.getLogger(SftpFiles.class);

    /** What the hand-over did with a downloaded file. */
    public enum HandOver {
        /** The file is in the inbox now. */
        HANDED_OVER,
        /** A file with the same name and content was there already (handed over before and not read yet): nothing to do. */
        ALREADY_THERE
    }

    /**
     * The route's step: the downloaded file (camel-ftp's local work file) into {@code inbox}. The body becomes the path
     * of the file in the inbox.
     */
    public Path handOver(Exchange exchange, String pickup, String inbox) throws IOException {
        String work = exchange.getMessage().getHeader(FtpConstants.FILE_LOCAL_WORK_PATH, String.class);
        String remote = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        if (work == null || remote == null) {
            throw new IllegalStateException("SFTP pickup " + pickup + ": no downloaded file on the exchange (the route needs camel-ftp's localWorkDirectory)");
        }
        Path local = handOver(Path.of(work), remote, Path.of(inbox), pickup);
        exchange.getMessage().setBody(local);
        return local;
    }

    /** Hands {@code downloaded} over to {@code inbox} as {@code remoteName} (or its hashed variant); returns where it is. */
    Path handOver(Path downloaded, String remoteName, Path inbox, String pickup) throws IOException {
        Files.createDirectories(inbox);
        force(downloaded);
        long size = Files.size(downloaded);
        String hash = sha256(downloaded);
        Path target = inbox.resolve(remoteName);
        HandOver done = place(downloaded, target, size, hash);
        if (done == null) {
            target = inbox.resolve(hashedName(remoteName, hash));
            done = place(downloaded, target, size, hash);
            if (done == null) {
                throw new FileAlreadyExistsException(target.toString(), null,
                        "another file with the same name and the same first 12 hex digits of its SHA-256 is in the inbox");
            }
            LOG.info("SFTP pickup {}: {} has other content than the file of that name still in the inbox; handed over as {}", pickup,
                    remoteName, target.getFileName());
        }
        forceDirectory(inbox);
        if (done == HandOver.ALREADY_THERE) {
            LOG.info("SFTP pickup {}: {} ({} bytes) was handed over before and is still in the inbox as {}; this download is dropped",
                    pickup, remoteName, size, target.getFileName());
        } else {
            LOG.info("SFTP pickup {}: {} ({} bytes, SHA-256 {}…) handed over to {}", pickup, remoteName, size, hash.substring(0, 12), target);
        }
        return target;
    }

    /** {@code <stem>-<12 hex><ext>}: orders.csv → orders-0123456789ab.csv. */
    static String hashedName(String name, String hash) {
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        return stem + "-" + hash.substring(0, 12) + ext;
    }

    /**
     * Puts {@code work} at {@code target} without ever replacing a file there: HANDED_OVER, ALREADY_THERE (a file with the
     * same content is there; {@code work} is deleted), or null (a file with other content is there; {@code work} stays).
     */
    private static HandOver place(Path work, Path target, long size, String hash) throws IOException {
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                try {
                    Files.createLink(target, work); // atomic, and fails when the name is taken
                    Files.delete(work);
                    return HandOver.HANDED_OVER;
                } catch (FileAlreadyExistsException taken) {
                    throw taken;
                } catch (UnsupportedOperationException | FileSystemException noHardLinks) {
                    // a file system without hard links: check, then rename (atomic, but it would replace a file that
                    // another writer put there in between: only the inbox's own writers race here)
                    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                        throw new FileAlreadyExistsException(target.toString());
                    }
                    Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
                    return HandOver.HANDED_OVER;
                }
            } catch (FileAlreadyExistsException taken) {
                try {
                    if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && Files.size(target) == size && sha256(target).equals(hash)) {
                        Files.delete(work);
                        return HandOver.ALREADY_THERE;
                    }
                    return null;
                } catch (NoSuchFileException gone) {
                    // the inbox took it away (to .done/) meanwhile: try the name again
                }
            }
        }
        throw new IOException("the inbox kept taking and dropping " + target.getFileName() + " while it was handed over");
    }

    private static void force(Path file) throws IOException {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            c.force(true);
        }
    }

    /** A directory's entries to disk (Linux and macOS allow it; elsewhere the file system's own guarantees apply). */
    private static void forceDirectory(Path dir) {
        try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
            c.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            LOG.debug("cannot flush the folder {} to disk: {}", dir, notSupported.toString());
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
