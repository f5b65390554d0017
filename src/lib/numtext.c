#include "lib/numtext.h"

const char *num_text(char buf[NUM_TEXT_SIZE], int64_t v)
{
	int i = NUM_TEXT_SIZE - 1;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	buf[i] = '\0';
	do
		buf[--i] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		buf[--i] = '-';
	return &buf[i];
}
