package io.linehub.sftp;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real SFTP server for the pickup tests (Apache MINA SSHD), serving one folder: password login for {@link #USER} /
 * {@link #PASSWORD}, or key login with {@link #clientKey()}; an ECDSA host key of its own. Hooks let a test drop the
 * connection in the middle of a download or refuse a rename, as a flaky server or a crash would.
 */
final class SftpServer implements AutoCloseable {

    static final String USER = "erp-export";
    static final String PASSWORD = "pw-\u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35-7Hq!x&y=z";

    private final Path root;
    private final KeyPair hostKey = ecKeyPair();
    private final KeyPair clientKey = ecKeyPair();
    private SshServer sshd;
    private int port;

    /** Return true to close the session at a read after the first of a file (file name): the connection drops part-way. */
    volatile Predicate<String> dropConnectionAfterFirstRead = name -> false;
    /** Return true to refuse this rename (source file name). */
    volatile Predicate<String> refuseRename = name -> false;
    final AtomicInteger downloadsStarted = new AtomicInteger();
    final AtomicInteger connectionsDropped = new AtomicInteger();
    final AtomicInteger renamesRefused = new AtomicInteger();

    SftpServer(Path root) {
        this.root = root;
    }

    SftpServer start() throws IOException {
        Files.createDirectories(root);
        sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.1");
        sshd.setPort(port);
        sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        sshd.setPasswordAuthenticator((user, password, session) -> USER.equals(user) && PASSWORD.equals(password));
        sshd.setPublickeyAuthenticator((user, key, session) -> USER.equals(user) && KeyUtils.compareKeys(key, clientKey.getPublic()));
        SftpSubsystemFactory sftp = new SftpSubsystemFactory();
        sftp.addSftpEventListener(new SftpEventListener() {
            @Override
            public void reading(ServerSession session, String remoteHandle, FileHandle localHandle, long offset, byte[] data, int dataOffset,
                                int dataLen) throws IOException {
                String name = localHandle.getFile().getFileName().toString();
                if (offset == 0) {
                    downloadsStarted.incrementAndGet();
                }
                if (offset > 0 && dropConnectionAfterFirstRead.test(name)) {
                    connectionsDropped.incrementAndGet();
                    session.close(true);
                    throw new IOException("connection dropped by the test");
                }
            }

            @Override
            public void moving(ServerSession session, Path srcPath, Path dstPath, Collection<CopyOption> opts) throws IOException {
                if (refuseRename.test(srcPath.getFileName().toString())) {
                    renamesRefused.incrementAndGet();
                    throw new IOException("rename refused by the test");
                }
            }
        });
        sshd.setSubsystemFactories(List.of(sftp));
        sshd.setFileSystemFactory(new VirtualFileSystemFactory(root));
        sshd.start();
        port = sshd.getPort();
        return this;
    }

    /** Stops the server; {@link #start()} brings it back on the same port with the same keys. */
    void stop() throws IOException {
        sshd.stop(true);
    }

    int port() {
        return port;
    }

    Path root() {
        return root;
    }

    KeyPair clientKey() {
        return clientKey;
    }

    /** The server's line for a known_hosts file. */
    String knownHostsLine() {
        return knownHostsLine(hostKey.getPublic());
    }

    /** A known_hosts line for this server's address with another machine's key (what a man in the middle would show). */
    String knownHostsLineWithAnotherKey() {
        return knownHostsLine(ecKeyPair().getPublic());
    }

    private String knownHostsLine(PublicKey key) {
        return "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(key) + "\n";
    }

    /** The client's private key in OpenSSH's format, as ssh-keygen writes it; encrypted with {@code passphrase} unless null. */
    String clientKeyFile(String passphrase) {
        try {
            OpenSSHKeyEncryptionContext encryption = null;
            if (passphrase != null) {
                encryption = new OpenSSHKeyEncryptionContext();
                encryption.setCipherName("AES");
                encryption.setCipherMode("CTR");
                encryption.setCipherType("256");
                encryption.setPassword(passphrase);
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(clientKey, "erp-export@test", encryption, out);
            return out.toString(StandardCharsets.US_ASCII);
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Puts a file in the served folder as a careful uploader does (written beside it, then renamed in). */
    void put(String path, byte[] content) throws IOException {
        Path target = root.resolve(path);
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(".upload-" + target.getFileName());
        Files.write(tmp, content);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void close() throws IOException {
        if (sshd != null) {
            sshd.stop(true);
        }
    }

    private static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
