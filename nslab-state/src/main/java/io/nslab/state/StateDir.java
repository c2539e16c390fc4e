package io.nslab.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A state directory nslab has verified and holds open: owned by the user
 * nslab runs as, not a symbolic link, writable by its owner only. Every file
 * in it is reached relative to the open directory ({@code openat}, through
 * {@link SecureDirectoryStream}) with {@code O_NOFOLLOW}, checked the same way
 * (a regular file, owner, mode) and made {@code 0600}, directories {@code 0700},
 * with an explicit {@code chmod} because the mode given to {@code open}/{@code
 * mkdir} is cut by the umask. Files are replaced atomically: an {@code O_EXCL}
 * temporary, {@code fsync}, {@code rename}, {@code fsync} of the directory.
 *
 * <p>The directories above the state directory are not nslab's: each must be
 * owned by root or by nslab's user and not writable by others unless sticky
 * (like {@code /tmp}, where others cannot rename or delete nslab's entries).
 */
public final class StateDir implements AutoCloseable {
    static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final FileAttribute<Set<PosixFilePermission>> FILE_ATTR = PosixFilePermissions.asFileAttribute(FILE_MODE);
    private static final FileAttribute<Set<PosixFilePermission>> DIR_ATTR = PosixFilePermissions.asFileAttribute(DIR_MODE);
    private static final int S_ISVTX = 01000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path path;
    private final SecureDirectoryStream<Path> fd;
    private final Object identity;

    private StateDir(Path path, SecureDirectoryStream<Path> fd, Object identity) {
        this.path = path;
        this.fd = fd;
        this.identity = identity;
    }

    /**
     * Opens {@code dir}, creating it and any missing parent ({@code 0700}), and
     * verifies it and the directories above it; refuses with a
     * {@link StateException} naming the path that is not safe.
     */
    public static StateDir open(Path dir) throws StateException {
        return open(dir, true);
    }

    /**
     * Opens the directory that holds the state directory {@code child}, to
     * create and remove it: checked like the directories above the state
     * (root's or nslab's user's, not writable by others unless sticky), or
     * strictly if nslab made it.
     */
    public static StateDir openParentOf(Path child) throws StateException {
        return open(child.toAbsolutePath().normalize().getParent(), false);
    }

    private static StateDir open(Path dir, boolean strict) throws StateException {
        Path abs = dir.toAbsolutePath().normalize();
        Path at = abs.getRoot();
        boolean ours = false;
        for (int i = 0; i < abs.getNameCount(); i++) {
            at = at.resolve(abs.getName(i));
            boolean last = i == abs.getNameCount() - 1;
            Optional<PosixFileAttributes> a = lstat(at);
            if (a.isEmpty()) {
                mkdir(at);
                ours = true;
                a = lstat(at);
                if (a.isEmpty()) throw new StateException(at.toString(), "vanished right after it was created");
            }
            if ((last && strict) || ours) checkOwn(at.toString(), a.get(), true);
            else checkAncestor(at, a.get());
        }
        if (!strict && lstat(abs).map(PosixFileAttributes::isSymbolicLink).orElse(false))
            throw new StateException(abs.toString(), "is a symbolic link; nslab never follows links in its state (remove it)");
        SecureDirectoryStream<Path> fd = openFd(abs);
        try {
            PosixFileAttributes held = fd.getFileAttributeView(PosixFileAttributeView.class).readAttributes();
            // what was checked by name is what is open: nothing was swapped in between
            if (strict) checkOwn(abs.toString(), held, true);
            Object key = lstat(abs).map(PosixFileAttributes::fileKey).orElse(null);
            if (key == null || !key.equals(held.fileKey()))
                throw new StateException(abs.toString(), "was replaced while nslab opened it");
            return new StateDir(abs, fd, held.fileKey());
        } catch (IOException | RuntimeException e) {
            closeQuietly(fd);
            if (e instanceof StateException se) throw se;
            throw failure(abs.toString(), "cannot check", e);
        }
    }

    public Path path() {
        return path;
    }

    /** Whether the directory still is at its path (not removed or replaced since it was opened). */
    public boolean stillAtPath() {
        try {
            return lstat(path).map(a -> identity.equals(a.fileKey())).orElse(false);
        } catch (StateException e) {
            return false;
        }
    }

    /** The sub-directory {@code name}, created {@code 0700} if missing, verified like this one. */
    public StateDir sub(String name) throws StateException {
        Path child = path.resolve(checkName(name));
        Optional<PosixFileAttributes> a = stat(name);
        if (a.isEmpty()) {
            try {
                Files.createDirectory(child, DIR_ATTR);
            } catch (FileAlreadyExistsException raced) {
                // made by a concurrent nslab run: verified below like any other
            } catch (IOException e) {
                throw failure(child.toString(), "cannot create", e);
            }
            chmod(name, DIR_MODE);
            a = stat(name);
            if (a.isEmpty()) throw new StateException(child.toString(), "vanished right after it was created");
        }
        checkOwn(child.toString(), a.get(), true);
        SecureDirectoryStream<Path> sub;
        try {
            sub = fd.newDirectoryStream(Path.of(name), LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw failure(child.toString(), "cannot open", e);
        }
        try {
            PosixFileAttributes held = sub.getFileAttributeView(PosixFileAttributeView.class).readAttributes();
            checkOwn(child.toString(), held, true);
            return new StateDir(child, sub, held.fileKey());
        } catch (IOException e) {
            closeQuietly(sub);
            if (e instanceof StateException se) throw se;
            throw failure(child.toString(), "cannot check", e);
        }
    }

    /** Whether the entry {@code name} exists (of any type; a link is not followed). */
    public boolean exists(String name) throws StateException {
        return stat(checkName(name)).isPresent();
    }

    /** Whether {@code name} is a directory (a link is not followed). */
    public boolean isDirectory(String name) throws StateException {
        return stat(checkName(name)).map(PosixFileAttributes::isDirectory).orElse(false);
    }

    /** The entry's identity (device and inode), if it exists. */
    public Optional<Object> fileKey(String name) throws StateException {
        return stat(checkName(name)).map(PosixFileAttributes::fileKey);
    }

    /**
     * The content of the regular file {@code name}, empty if there is none;
     * refused if it is a link, not a regular file, not nslab's, writable by
     * others, or larger than {@code limit} bytes (checked before reading).
     */
    public Optional<byte[]> read(String name, long limit) throws StateException {
        Path file = path.resolve(checkName(name));
        Optional<PosixFileAttributes> a = stat(name);
        if (a.isEmpty()) return Optional.empty();
        checkOwn(file.toString(), a.get(), false);
        if (a.get().size() > limit)
            throw new StateException(file.toString(), "is " + a.get().size() + " bytes, more than the " + limit + " nslab reads");
        try (SeekableByteChannel ch = fd.newByteChannel(Path.of(name), Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
            // sized by the file opened, not by the stat above: a writer may have renamed a longer one over it since
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(limit + 1, Math.max(ch.size() + 1, 64)));
            while (b.hasRemaining() && ch.read(b) >= 0) { /* to the end or one byte past the limit */ }
            if (b.position() > limit) throw new StateException(file.toString(), "grew past the " + limit + " bytes nslab reads");
            byte[] out = new byte[b.position()];
            b.flip().get(out);
            return Optional.of(out);
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        } catch (IOException e) {
            if (e instanceof StateException se) throw se;
            throw failure(file.toString(), "cannot read", e);
        }
    }

    /**
     * Replaces (or creates) {@code name} with {@code data} atomically: a
     * temporary made with {@code O_EXCL}, forced to storage, renamed over it,
     * the directory forced. A failure (a full or read-only file system) leaves
     * the old content and no temporary.
     */
    public void write(String name, byte[] data) throws StateException {
        Path file = path.resolve(checkName(name));
        Optional<PosixFileAttributes> old = stat(name);
        if (old.isPresent()) checkOwn(file.toString(), old.get(), false);
        String tmp = "." + name + ".tmp-" + HexFormat.of().formatHex(randomBytes());
        boolean made = false;
        try {
            try (FileChannel ch = (FileChannel) fd.newByteChannel(Path.of(tmp),
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), FILE_ATTR)) {
                made = true;
                chmod(tmp, FILE_MODE);
                ByteBuffer b = ByteBuffer.wrap(data);
                while (b.hasRemaining()) ch.write(b);
                ch.force(true);
            }
            fd.move(Path.of(tmp), fd, Path.of(name));
            made = false;
            sync();
        } catch (IOException e) {
            if (made) deleteQuietly(tmp);
            if (e instanceof StateException se) throw se;
            throw failure(file.toString(), "cannot write", e);
        }
    }

    /**
     * Opens {@code name} (created {@code 0600} if missing, never through a link)
     * for appending, or for reading and writing with {@code append} false (a lock file).
     */
    public FileChannel openForWriting(String name, boolean append) throws StateException {
        Path file = path.resolve(checkName(name));
        Optional<PosixFileAttributes> old = stat(name);
        if (old.isPresent()) checkOwn(file.toString(), old.get(), false);
        Set<OpenOption> opts = append
                ? Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS)
                : Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        FileChannel ch;
        try {
            ch = (FileChannel) fd.newByteChannel(Path.of(name), opts, FILE_ATTR);
        } catch (IOException e) {
            throw failure(file.toString(), "cannot open", e);
        }
        try {
            if (old.isEmpty()) chmod(name, FILE_MODE);
            Optional<PosixFileAttributes> now = stat(name);
            if (now.isEmpty()) throw new StateException(file.toString(), "vanished right after it was opened");
            checkOwn(file.toString(), now.get(), false);
            return ch;
        } catch (StateException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /** Names of the entries, sorted (temporaries included: they start with a dot). */
    public List<String> list() throws StateException {
        List<String> out = new ArrayList<>();
        try {
            // a second stream on the same directory: one SecureDirectoryStream iterates once
            try (SecureDirectoryStream<Path> again = fd.newDirectoryStream(Path.of("."), LinkOption.NOFOLLOW_LINKS)) {
                for (Path p : again) out.add(p.getFileName().toString());
            }
        } catch (IOException e) {
            throw failure(path.toString(), "cannot list", e);
        }
        out.sort(null);
        return out;
    }

    /** Deletes the file (or link) {@code name}; true if it was there. */
    public boolean delete(String name) throws StateException {
        try {
            fd.deleteFile(Path.of(checkName(name)));
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw failure(path.resolve(name).toString(), "cannot delete", e);
        }
    }

    /** Deletes the sub-directory {@code name} with everything in it (links are deleted, never followed). */
    public void deleteTree(String name) throws StateException {
        Optional<PosixFileAttributes> a = stat(checkName(name));
        if (a.isEmpty()) return;
        if (!a.get().isDirectory()) {
            delete(name);
            return;
        }
        try (StateDir sub = sub(name)) {
            for (String e : sub.list()) {
                if (sub.isDirectory(e)) sub.deleteTree(e);
                else sub.delete(e);
            }
        }
        try {
            fd.deleteDirectory(Path.of(name));
        } catch (NoSuchFileException e) {
            // removed by a concurrent run
        } catch (IOException e) {
            throw failure(path.resolve(name).toString(), "cannot delete", e);
        }
    }

    /** Forces the directory's entries (a rename, a new file) to storage. */
    public void sync() throws StateException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            throw failure(path.toString(), "cannot sync", e);
        }
    }

    @Override
    public void close() {
        closeQuietly(fd);
    }

    // ------------------------------------------------------------------ checks

    private Optional<PosixFileAttributes> stat(String name) throws StateException {
        try {
            return Optional.of(fd.getFileAttributeView(Path.of(name), PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure(path.resolve(name).toString(), "cannot check", e);
        }
    }

    private void chmod(String name, Set<PosixFilePermission> mode) throws StateException {
        try {
            fd.getFileAttributeView(Path.of(name), PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setPermissions(mode);
        } catch (IOException e) {
            throw failure(path.resolve(name).toString(), "cannot set its mode", e);
        }
    }

    private static Optional<PosixFileAttributes> lstat(Path p) throws StateException {
        try {
            return Optional.of(Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure(p.toString(), "cannot check", e);
        }
    }

    private static void mkdir(Path p) throws StateException {
        try {
            Files.createDirectory(p, DIR_ATTR);
            Files.setPosixFilePermissions(p, DIR_MODE);
        } catch (FileAlreadyExistsException raced) {
            // made by a concurrent run: verified by the caller
        } catch (IOException e) {
            throw failure(p.toString(), "cannot create", e);
        }
    }

    /** nslab's own entry: no link, the right type, nslab's user, no write bit for group or others. */
    static void checkOwn(String where, PosixFileAttributes a, boolean directory) throws StateException {
        if (a.isSymbolicLink())
            throw new StateException(where, "is a symbolic link; nslab never follows links in its state (remove it)");
        if (directory && !a.isDirectory()) throw new StateException(where, "is not a directory");
        if (!directory && !a.isRegularFile()) throw new StateException(where, a.isDirectory() ? "is a directory, not a file" : "is not a regular file");
        if (!a.owner().equals(Owner.self()))
            throw new StateException(where, "is owned by " + a.owner().getName() + ", not by " + Owner.self().getName()
                    + " (the user nslab runs as)");
        Set<PosixFilePermission> p = a.permissions();
        if (p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE))
            throw new StateException(where, "is group- or world-writable (" + PosixFilePermissions.toString(p)
                    + "); nslab's state must be writable by its owner only");
    }

    /** A directory above the state: root's or nslab's user's, not writable by others unless sticky. */
    private static void checkAncestor(Path p, PosixFileAttributes a) throws StateException {
        if (!Owner.isSelfOrRootQuietly(a.owner()))
            throw new StateException(p.toString(), "is owned by " + a.owner().getName() + ", neither root nor the user nslab runs as");
        if (a.isSymbolicLink()) {
            // a link only root (or nslab's user) could have made, e.g. /var/run -> /run: where it points is checked next
            try {
                checkAncestor(p.toRealPath(), Files.readAttributes(p, PosixFileAttributes.class));
            } catch (IOException e) {
                if (e instanceof StateException se) throw se;
                throw failure(p.toString(), "cannot check", e);
            }
            return;
        }
        if (!a.isDirectory()) throw new StateException(p.toString(), "is not a directory");
        Set<PosixFilePermission> m = a.permissions();
        if (m.contains(PosixFilePermission.GROUP_WRITE) || m.contains(PosixFilePermission.OTHERS_WRITE)) {
            int mode;
            try {
                mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                throw failure(p.toString(), "cannot check", e);
            }
            if ((mode & S_ISVTX) == 0)
                throw new StateException(p.toString(), "is group- or world-writable without the sticky bit ("
                        + PosixFilePermissions.toString(m) + "): others could replace nslab's state below it");
        }
    }

    static String checkName(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0)
            throw new IllegalArgumentException("not a name in a state directory: '" + name + "'");
        return name;
    }

    private static SecureDirectoryStream<Path> openFd(Path abs) throws StateException {
        try {
            DirectoryStream<Path> ds = Files.newDirectoryStream(abs);
            if (ds instanceof SecureDirectoryStream<Path> s) return s;
            closeQuietly(ds);
            throw new StateException(abs.toString(), "this platform cannot open files relative to a directory (no SecureDirectoryStream)");
        } catch (IOException e) {
            if (e instanceof StateException se) throw se;
            throw failure(abs.toString(), "cannot open", e);
        }
    }

    /** One line: the path, what nslab tried, and the kernel's reason (ENOSPC, EROFS, EACCES...). */
    static StateException failure(String where, String doing, Exception e) {
        String why = e instanceof NoSuchFileException ? "no such file or directory"
                : e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason()
                : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return new StateException(where, doing + ": " + why, e);
    }

    private void deleteQuietly(String name) {
        try {
            fd.deleteFile(Path.of(name));
        } catch (IOException ignored) {
            // the failure being reported matters more
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // nothing was written through it
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return b;
    }
}
