/* cmd_visible.c: PLACEHOLDER until the command is written (replace this file). */
#include <stdio.h>

#include "cli.h"

int cmd_visible(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "orbnet %s: not available yet\n", argv[0]);
    return EXIT_RUNTIME;
}
