/* cli.h: the orbnet command's subcommands and the helpers they share. */
#ifndef ORBNET_CLI_H
#define ORBNET_CLI_H

/* Exit codes of the orbnet command (DESIGN.md). */
enum {
    EXIT_OK = 0,
    EXIT_RUNTIME = 1, /* failure while running */
    EXIT_USAGE = 2,   /* bad command line */
    EXIT_INPUT = 3    /* bad input data */
};

/* Each subcommand gets argv with argv[0] = the subcommand's name. */
int cmd_propagate(int argc, char **argv);
int cmd_visible(int argc, char **argv);
int cmd_passes(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_route(int argc, char **argv);
int cmd_fetch(int argc, char **argv);

#endif
