/*
 * embed: write a C file that holds the given files as byte arrays.
 *
 *   embed SYMBOL ROOT FILE... > out.c
 *
 * Each FILE must start with ROOT/; its name in the table is the rest of the
 * path.  Used by the Makefile for templates/ and static/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: embed SYMBOL ROOT FILE...\n");
		return 2;
	}
	const char *sym = argv[1], *root = argv[2];
	size_t rootlen = strlen(root);

	printf("#include \"util/embed.h\"\n\n");
	for (int i = 3; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (!f) {
			perror(argv[i]);
			return 1;
		}
		printf("static const unsigned char %s_%d[] = {", sym, i);
		int c;
		size_t k = 0;
		while ((c = fgetc(f)) != EOF)
			printf("%s%d,", (k++ % 32) ? "" : "\n", c);
		printf("0};\n");
		fclose(f);
	}
	printf("\nconst struct embed_file %s[] = {\n", sym);
	for (int i = 3; i < argc; i++) {
		const char *name = argv[i];
		if (strncmp(name, root, rootlen) == 0 && name[rootlen] == '/')
			name += rootlen + 1;
		printf("\t{\"%s\", %s_%d, sizeof(%s_%d) - 1},\n", name, sym, i, sym, i);
	}
	printf("\t{0, 0, 0}\n};\nconst size_t %s_count = %d;\n", sym, argc - 3);
	return 0;
}
