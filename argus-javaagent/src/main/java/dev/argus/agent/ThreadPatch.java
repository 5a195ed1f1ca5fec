package dev.argus.agent;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The {@link ThreadHook} patch written straight into the class file, without ASM: the same code
 * {@code ThreadHook.patch} generates, prepended to {@code dispatchUncaughtException}. Loading and
 * running ASM (its verified classes from the 5 MB jar, then a pass over all of {@code Thread})
 * cost 30-80 ms before {@code main}; this parses the constant pool, splices one method's
 * {@code Code} attribute and takes a millisecond or two.
 *
 * <p>Prepending {@code P} bytes (a multiple of 4, so the padding of switch instructions stays
 * right) shifts every absolute code offset of the method: exception table, line and local
 * variable tables, the first stack map frame and any {@code Uninitialized} entry. Relative branch
 * offsets do not change. Anything it does not understand (another attribute inside {@code Code},
 * an unknown constant, a method too large) makes it return null, and the caller falls back to ASM.
 *
 * <pre>
 *  0  try:  Class.forName(BRIDGE, true, ClassLoader.getSystemClassLoader())
 *              .getMethod("uncaught", Thread.class, Throwable.class).invoke(null, this, e)  pop
 *           goto original
 *     handler (Throwable on the stack): pop
 *     nop...  (to a multiple of 4)
 *  P  original code
 * </pre>
 */
final class ThreadPatch {
    static final String BRIDGE = "dev.argus.agent.bridge.ArgusBridge";
    private static final int STACK = 6;

    private ThreadPatch() {
    }

    /** The patched class file, or null when the method is missing or the class has an unexpected shape. */
    static byte[] patch(byte[] b) {
        try {
            return new ThreadPatch.Splice(b).run();
        } catch (RuntimeException e) {
            return null; // malformed or unexpected: the caller uses ASM
        }
    }

    private static final class Splice {
        private final byte[] b;
        private int p;
        private int[] utf8Start; // cp index -> offset of the utf8 bytes (after the length), or -1

        Splice(byte[] b) {
            this.b = b;
        }

        private int u1(int at) {
            return b[at] & 0xff;
        }

        private int u2(int at) {
            return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
        }

        private int u4(int at) {
            return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
        }

        private boolean utf8Is(int index, String ascii) {
            if (index <= 0 || index >= utf8Start.length || utf8Start[index] < 0) {
                return false;
            }
            int at = utf8Start[index];
            int len = u2(at - 2);
            if (len != ascii.length()) {
                return false;
            }
            for (int i = 0; i < len; i++) {
                if (b[at + i] != (byte) ascii.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        /** Skips attributes at {@code p}; returns nothing, leaves {@code p} after them. */
        private void skipAttributes() {
            int n = u2(p);
            p += 2;
            for (int i = 0; i < n; i++) {
                p += 6 + u4(p + 2);
            }
        }

        byte[] run() {
            if (u4(0) != 0xCAFEBABE) {
                return null;
            }
            int cpCount = u2(8);
            utf8Start = new int[cpCount];
            p = 10;
            for (int i = 1; i < cpCount; i++) {
                utf8Start[i] = -1;
                int tag = u1(p);
                switch (tag) {
                    case 1:
                        utf8Start[i] = p + 3;
                        p += 3 + u2(p + 1);
                        break;
                    case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18:
                        p += 5;
                        break;
                    case 5: case 6:
                        p += 9;
                        i++;
                        if (i < cpCount) {
                            utf8Start[i] = -1;
                        }
                        break;
                    case 7: case 8: case 16: case 19: case 20:
                        p += 3;
                        break;
                    case 15:
                        p += 4;
                        break;
                    default:
                        return null;
                }
            }
            int cpEnd = p;
            int thisClass = u2(p + 2);
            p += 6;
            p += 2 + 2 * u2(p); // interfaces
            int fields = u2(p);
            p += 2;
            for (int i = 0; i < fields; i++) {
                p += 6;
                skipAttributes();
            }
            int methods = u2(p);
            p += 2;
            for (int i = 0; i < methods; i++) {
                int access = u2(p);
                boolean target = (access & 0x0008) == 0
                        && utf8Is(u2(p + 2), ThreadHook.METHOD) && utf8Is(u2(p + 4), ThreadHook.DESCRIPTOR);
                p += 6;
                int attributes = u2(p);
                p += 2;
                for (int a = 0; a < attributes; a++) {
                    int len = u4(p + 2);
                    if (target && utf8Is(u2(p), "Code")) {
                        return splice(cpCount, cpEnd, thisClass, p, p + 6 + len);
                    }
                    p += 6 + len;
                }
            }
            return null;
        }

        private byte[] splice(int cpCount, int cpEnd, int thisClass, int codeAttr, int codeAttrEnd) {
            // new constants, appended after the existing pool
            Pool pool = new Pool(cpCount);
            int bridge = pool.string(BRIDGE);
            int uncaught = pool.string("uncaught");
            int classLoader = pool.classRef("java/lang/ClassLoader");
            int clazz = pool.classRef("java/lang/Class");
            int thread = pool.classRef("java/lang/Thread");
            int throwable = pool.classRef("java/lang/Throwable");
            int object = pool.classRef("java/lang/Object");
            int method = pool.classRef("java/lang/reflect/Method");
            int getSystemClassLoader = pool.methodRef(classLoader, "getSystemClassLoader", "()Ljava/lang/ClassLoader;");
            int forName = pool.methodRef(clazz, "forName",
                    "(Ljava/lang/String;ZLjava/lang/ClassLoader;)Ljava/lang/Class;");
            int getMethod = pool.methodRef(clazz, "getMethod",
                    "(Ljava/lang/String;[Ljava/lang/Class;)Ljava/lang/reflect/Method;");
            int invoke = pool.methodRef(method, "invoke",
                    "(Ljava/lang/Object;[Ljava/lang/Object;)Ljava/lang/Object;");
            if (pool.next > 0xffff) {
                return null;
            }

            Bytes code = new Bytes();
            code.ldcW(bridge);
            code.u1(0x04); // iconst_1
            code.u1(0xb8).u2(getSystemClassLoader); // invokestatic
            code.u1(0xb8).u2(forName);
            code.ldcW(uncaught);
            code.u1(0x05); // iconst_2
            code.u1(0xbd).u2(clazz); // anewarray Class
            code.u1(0x59).u1(0x03).ldcW(thread).u1(0x53); // dup iconst_0 ldc Thread.class aastore
            code.u1(0x59).u1(0x04).ldcW(throwable).u1(0x53);
            code.u1(0xb6).u2(getMethod); // invokevirtual
            code.u1(0x01); // aconst_null
            code.u1(0x05);
            code.u1(0xbd).u2(object); // anewarray Object
            code.u1(0x59).u1(0x03).u1(0x2a).u1(0x53); // dup iconst_0 aload_0 aastore
            code.u1(0x59).u1(0x04).u1(0x2b).u1(0x53); // dup iconst_1 aload_1 aastore
            code.u1(0xb6).u2(invoke);
            code.u1(0x57); // pop
            int tryEnd = code.size();
            int gotoAt = code.size();
            code.u1(0xa7).u2(0); // goto original, patched below
            int handler = code.size();
            code.u1(0x57); // pop
            while (code.size() % 4 != 0) {
                code.u1(0x00); // nop
            }
            int shift = code.size();
            code.set2(gotoAt + 1, shift - gotoAt);

            // the old Code attribute
            int c = codeAttr + 6;
            int maxStack = u2(c);
            int maxLocals = u2(c + 2);
            int codeLength = u4(c + 4);
            int codeStart = c + 8;
            if (codeLength + shift > 0xffff) {
                return null;
            }
            int q = codeStart + codeLength;
            int handlers = u2(q);
            int handlersStart = q + 2;
            q = handlersStart + 8 * handlers;
            int attributes = u2(q);
            q += 2;

            Bytes attr = new Bytes();
            attr.u2(Math.max(maxStack, STACK)).u2(Math.max(maxLocals, 2)).u4(codeLength + shift);
            attr.raw(code).raw(b, codeStart, codeLength);
            attr.u2(handlers + 1);
            attr.u2(0).u2(tryEnd).u2(handler).u2(throwable);
            for (int i = 0; i < handlers; i++) {
                int h = handlersStart + 8 * i;
                attr.u2(u2(h) + shift).u2(u2(h + 2) + shift).u2(u2(h + 4) + shift).u2(u2(h + 6));
            }
            boolean hadFrames = false;
            Bytes nested = new Bytes();
            for (int a = 0; a < attributes; a++) {
                int name = u2(q);
                int len = u4(q + 2);
                int body = q + 6;
                if (utf8Is(name, "StackMapTable")) {
                    hadFrames = true;
                    nested.u2(name).raw(frames(body, shift, handler, thisClass, throwable, true));
                } else if (utf8Is(name, "LineNumberTable")) {
                    nested.u2(name).u4(len).u2(u2(body));
                    for (int i = 0, n = u2(body); i < n; i++) {
                        int e = body + 2 + 4 * i;
                        nested.u2(u2(e) + shift).u2(u2(e + 2));
                    }
                } else if (utf8Is(name, "LocalVariableTable") || utf8Is(name, "LocalVariableTypeTable")) {
                    nested.u2(name).u4(len).u2(u2(body));
                    for (int i = 0, n = u2(body); i < n; i++) {
                        int e = body + 2 + 10 * i;
                        nested.u2(u2(e) + shift).raw(b, e + 2, 8);
                    }
                } else {
                    return null; // e.g. type annotations with code offsets: leave it to ASM
                }
                q = body + len;
            }
            if (q != codeAttrEnd) {
                return null;
            }
            int nestedCount = attributes;
            if (!hadFrames) {
                nested.u2(pool.utf8("StackMapTable")).raw(frames(-1, shift, handler, thisClass, throwable, false));
                nestedCount++;
            }
            attr.u2(nestedCount).raw(nested);
            if (pool.next > 0xffff) {
                return null;
            }

            Bytes out = new Bytes();
            out.raw(b, 0, 8).u2(pool.next).raw(b, 10, cpEnd - 10).raw(pool.bytes);
            out.raw(b, cpEnd, codeAttr + 2 - cpEnd); // up to the Code attribute's name index
            out.u4(attr.size()).raw(attr);
            out.raw(b, codeAttrEnd, b.length - codeAttrEnd);
            return out.toByteArray();
        }

        /**
         * The new StackMapTable (length and body): a full frame at the handler, one at the old
         * offset 0 unless the old table has a frame there, then the old frames with the first
         * offset delta and any {@code Uninitialized(offset)} moved by {@code shift}.
         */
        private Bytes frames(int body, int shift, int handler, int thisClass, int throwable, boolean old) {
            int n = old ? u2(body) : 0;
            int q = old ? body + 2 : 0;
            int firstOld = -1;
            if (n > 0) {
                int type = u1(q);
                firstOld = type < 64 ? type : type < 128 ? type - 64 : u2(q + 1);
            }
            Bytes f = new Bytes();
            int count = 0;
            // handler: locals [this, Throwable], stack [Throwable]
            f.u1(255).u2(handler).u2(2).u1(7).u2(thisClass).u1(7).u2(throwable).u2(1).u1(7).u2(throwable);
            count++;
            int last = handler;
            if (firstOld != 0) {
                f.u1(255).u2(shift - last - 1).u2(2).u1(7).u2(thisClass).u1(7).u2(throwable).u2(0);
                count++;
                last = shift;
            }
            for (int i = 0; i < n; i++) {
                int type = u1(q);
                boolean first = i == 0;
                int newDelta = first ? (firstOld + shift) - last - 1 : -1;
                if (type < 64) { // same_frame
                    q += 1;
                    if (first) {
                        f.u1(251).u2(newDelta);
                    } else {
                        f.u1(type);
                    }
                } else if (type < 128) { // same_locals_1_stack_item
                    q += 1;
                    if (first) {
                        f.u1(247).u2(newDelta);
                    } else {
                        f.u1(type);
                    }
                    q = copyTypes(f, q, 1, shift);
                } else if (type < 247) {
                    throw new IllegalArgumentException("reserved frame type " + type);
                } else {
                    int delta = u2(q + 1);
                    f.u1(type).u2(first ? newDelta : delta);
                    q += 3;
                    if (type == 247) {
                        q = copyTypes(f, q, 1, shift);
                    } else if (type >= 252 && type <= 254) {
                        q = copyTypes(f, q, type - 251, shift);
                    } else if (type == 255) {
                        int locals = u2(q);
                        f.u2(locals);
                        q = copyTypes(f, q + 2, locals, shift);
                        int stack = u2(q);
                        f.u2(stack);
                        q = copyTypes(f, q + 2, stack, shift);
                    }
                }
                count++;
            }
            Bytes table = new Bytes();
            table.u4(2 + f.size()).u2(count).raw(f);
            return table;
        }

        private int copyTypes(Bytes f, int q, int n, int shift) {
            for (int i = 0; i < n; i++) {
                int tag = u1(q);
                f.u1(tag);
                if (tag == 7) {
                    f.u2(u2(q + 1));
                    q += 3;
                } else if (tag == 8) { // Uninitialized(offset of its 'new')
                    f.u2(u2(q + 1) + shift);
                    q += 3;
                } else if (tag <= 6) {
                    q += 1;
                } else {
                    throw new IllegalArgumentException("verification type " + tag);
                }
            }
            return q;
        }
    }

    /** Constants appended to the pool (duplicates of existing ones are allowed). */
    private static final class Pool {
        final Bytes bytes = new Bytes();
        int next;

        Pool(int next) {
            this.next = next;
        }

        int utf8(String s) {
            byte[] v = s.getBytes(StandardCharsets.UTF_8); // ASCII here, the same in modified UTF-8
            bytes.u1(1).u2(v.length).raw(v, 0, v.length);
            return next++;
        }

        int string(String s) {
            int u = utf8(s);
            bytes.u1(8).u2(u);
            return next++;
        }

        int classRef(String internalName) {
            int u = utf8(internalName);
            bytes.u1(7).u2(u);
            return next++;
        }

        int methodRef(int owner, String name, String descriptor) {
            int n = utf8(name);
            int d = utf8(descriptor);
            bytes.u1(12).u2(n).u2(d);
            int nameAndType = next++;
            bytes.u1(10).u2(owner).u2(nameAndType);
            return next++;
        }
    }

    /** A growable byte buffer with big-endian writes. */
    private static final class Bytes extends ByteArrayOutputStream {
        Bytes u1(int v) {
            write(v);
            return this;
        }

        Bytes u2(int v) {
            write(v >>> 8);
            write(v);
            return this;
        }

        Bytes u4(int v) {
            return u2(v >>> 16).u2(v);
        }

        Bytes ldcW(int index) {
            return u1(0x13).u2(index);
        }

        Bytes raw(byte[] v, int off, int len) {
            write(v, off, len);
            return this;
        }

        Bytes raw(Bytes other) {
            return raw(other.buf, 0, other.count);
        }

        void set2(int at, int v) {
            buf[at] = (byte) (v >>> 8);
            buf[at + 1] = (byte) v;
        }
    }
}
