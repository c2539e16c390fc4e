package io.nslab.netlink;

/** Linux errno numbers (asm-generic/errno-base.h, errno.h) and their names. */
public final class Errno {
    private Errno() {}

    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6,
            E2BIG = 7, EBADF = 9, ECHILD = 10, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14,
            EBUSY = 16, EEXIST = 17, EXDEV = 18, ENODEV = 19, ENOTDIR = 20, EISDIR = 21, EINVAL = 22,
            ENFILE = 23, EMFILE = 24, ENOTTY = 25, ENOSPC = 28, ESPIPE = 29, EROFS = 30, EPIPE = 32,
            ERANGE = 34, EDEADLK = 35, ENAMETOOLONG = 36, ENOSYS = 38, ENOTEMPTY = 39, ELOOP = 40,
            ENODATA = 61, ENOLINK = 67, EPROTO = 71, EOVERFLOW = 75, EBADMSG = 74, EMSGSIZE = 90,
            EPROTOTYPE = 91, ENOPROTOOPT = 92, EPROTONOSUPPORT = 93, EOPNOTSUPP = 95,
            EAFNOSUPPORT = 97, EADDRINUSE = 98, EADDRNOTAVAIL = 99, ENETDOWN = 100,
            ENETUNREACH = 101, ENOBUFS = 105, EISCONN = 106, ETIMEDOUT = 110, ECONNREFUSED = 111,
            EHOSTDOWN = 112, EHOSTUNREACH = 113, EALREADY = 114, EINPROGRESS = 115, ECONNRESET = 104;

    private static final String[][] TABLE = {
        {"1", "EPERM", "Operation not permitted"}, {"2", "ENOENT", "No such file or directory"},
        {"3", "ESRCH", "No such process"}, {"4", "EINTR", "Interrupted system call"},
        {"5", "EIO", "Input/output error"}, {"6", "ENXIO", "No such device or address"},
        {"7", "E2BIG", "Argument list too long"}, {"9", "EBADF", "Bad file descriptor"},
        {"10", "ECHILD", "No child processes"}, {"11", "EAGAIN", "Resource temporarily unavailable"},
        {"12", "ENOMEM", "Cannot allocate memory"}, {"13", "EACCES", "Permission denied"},
        {"14", "EFAULT", "Bad address"}, {"16", "EBUSY", "Device or resource busy"},
        {"17", "EEXIST", "File exists"}, {"18", "EXDEV", "Invalid cross-device link"},
        {"19", "ENODEV", "No such device"}, {"20", "ENOTDIR", "Not a directory"},
        {"21", "EISDIR", "Is a directory"}, {"22", "EINVAL", "Invalid argument"},
        {"23", "ENFILE", "Too many open files in system"}, {"24", "EMFILE", "Too many open files"},
        {"25", "ENOTTY", "Inappropriate ioctl for device"}, {"28", "ENOSPC", "No space left on device"},
        {"30", "EROFS", "Read-only file system"}, {"32", "EPIPE", "Broken pipe"},
        {"34", "ERANGE", "Numerical result out of range"}, {"36", "ENAMETOOLONG", "File name too long"},
        {"38", "ENOSYS", "Function not implemented"}, {"39", "ENOTEMPTY", "Directory not empty"},
        {"40", "ELOOP", "Too many levels of symbolic links"}, {"61", "ENODATA", "No data available"},
        {"67", "ENOLINK", "Link has been severed"}, {"71", "EPROTO", "Protocol error"},
        {"74", "EBADMSG", "Bad message"}, {"75", "EOVERFLOW", "Value too large for defined data type"},
        {"90", "EMSGSIZE", "Message too long"}, {"91", "EPROTOTYPE", "Protocol wrong type for socket"},
        {"92", "ENOPROTOOPT", "Protocol not available"}, {"93", "EPROTONOSUPPORT", "Protocol not supported"},
        {"95", "EOPNOTSUPP", "Operation not supported"}, {"97", "EAFNOSUPPORT", "Address family not supported by protocol"},
        {"98", "EADDRINUSE", "Address already in use"}, {"99", "EADDRNOTAVAIL", "Cannot assign requested address"},
        {"100", "ENETDOWN", "Network is down"}, {"101", "ENETUNREACH", "Network is unreachable"},
        {"104", "ECONNRESET", "Connection reset by peer"}, {"105", "ENOBUFS", "No buffer space available"},
        {"106", "EISCONN", "Transport endpoint is already connected"}, {"110", "ETIMEDOUT", "Connection timed out"},
        {"111", "ECONNREFUSED", "Connection refused"}, {"112", "EHOSTDOWN", "Host is down"},
        {"113", "EHOSTUNREACH", "No route to host"}, {"114", "EALREADY", "Operation already in progress"},
        {"115", "EINPROGRESS", "Operation now in progress"},
    };

    private static String[] row(int errno) {
        String k = Integer.toString(errno);
        for (String[] r : TABLE) if (r[0].equals(k)) return r;
        return null;
    }

    public static String name(int errno) {
        String[] r = row(errno);
        return r == null ? "E" + errno : r[1];
    }

    public static String describe(int errno) {
        String[] r = row(errno);
        return r == null ? "errno " + errno : r[2];
    }
}
