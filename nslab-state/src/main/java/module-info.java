/**
 * nslab-state: the files nslab keeps between runs, made so that nslab can
 * trust them (see docs/security.md): directories 0700 and files 0600 whatever
 * the umask, owned by the user nslab runs as, never reached through a symbolic
 * link; replaced atomically (O_EXCL temporary, fsync, rename); append-only
 * journals with a checksum per record; locks held by the kernel for a process.
 * Labs ({@code io.nslab.lab}) and networks ({@code io.nslab.net}) share it.
 * Depends on the JDK only.
 */
module io.nslab.state {
    exports io.nslab.state;
}
