// hello.c — a plain WASI *command* (not a guest): `_start` runs main() once and exits.
//
// Build (scripts/build-examples.mjs runs exactly this):
//   clang --target=wasm32-wasi -O2 -Wl,--strip-debug -o public/examples/hello.wasm \
//         examples/hello-command/hello.c
//
// Shows: arguments (args_get), stdout and stderr (fd_write on fd 1 and 2), a last stdout
// line with no trailing newline, and the exit status (proc_exit): 0, or 3 with `--fail`.

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    int status = 0;

    printf("hello from a WASI command\n");
    for (int i = 1; i < argc; i++) {
        printf("arg[%d] = %s\n", i, argv[i]);
        if (strcmp(argv[i], "--fail") == 0) status = 3;
    }
    fflush(stdout); // keep the order of stdout and stderr lines when they share a console

    fprintf(stderr, "this line goes to stderr\n");

    printf("bye"); // no newline: flushed by exit() all the same
    return status; // returning from main calls exit(status), which flushes stdout
}
