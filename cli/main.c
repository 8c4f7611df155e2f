/* main.c: the orbnet command: dispatches to a subcommand. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

typedef struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} command_t;

static const command_t commands[] = {
    {"propagate", cmd_propagate, "positions of every satellite of an element-set file over time"},
    {"visible", cmd_visible, "satellites above a site's elevation mask at one instant"},
    {"passes", cmd_passes, "rise, culmination and set times of passes over a site"},
    {"run", cmd_run, "simulate a scenario's network step by step and measure its service"},
    {"route", cmd_route, "the path between two sites of a scenario at one instant"},
    {"fetch", cmd_fetch, "download current element sets from CelesTrak"},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
    fprintf(f, "usage: orbnet COMMAND [OPTIONS]\n\n"
               "Simulates Starlink-class satellite networks: orbits (SGP4), links,\n"
               "routes and the service each terminal gets.\n\ncommands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n  orbnet help COMMAND    or   orbnet COMMAND --help   for a command's options\n"
               "  orbnet --version\n\n"
               "exit codes: 0 success, 1 failure while running, 2 bad usage, 3 bad input data\n");
}

static const command_t *find(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(name, "--version")) {
        printf("orbnet %s\n", ORBNET_VERSION);
        return EXIT_OK;
    }
    if (!strcmp(name, "help")) {
        if (argc < 3) {
            usage(stdout);
            return EXIT_OK;
        }
        const command_t *c = find(argv[2]);
        if (!c) {
            fprintf(stderr, "orbnet: unknown command '%s' (see orbnet --help)\n", argv[2]);
            return EXIT_USAGE;
        }
        char *hargv[] = {argv[2], "--help", NULL};
        return c->fn(2, hargv);
    }
    const command_t *c = find(name);
    if (!c) {
        fprintf(stderr, "orbnet: unknown command '%s' (see orbnet --help)\n", name);
        return EXIT_USAGE;
    }
    return c->fn(argc - 1, argv + 1);
}
