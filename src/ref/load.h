/*
 * load.h - loads the reference data files shipped under data/ into the
 * store (kouprey init, and upgrades that bring new reference data).
 *
 * Reads data/species.csv, species_names.csv, cites_terms.csv,
 * cites_units.csv, cites_term_units.csv, cites_purposes.csv,
 * cites_sources.csv, countries.csv, locations.csv, vocab.csv and
 * agency_kinds.csv (formats in data/SOURCES.md).  Runs in one transaction:
 * on any error nothing is loaded and err names the file and line.
 */
#ifndef KOUPREY_REF_LOAD_H
#define KOUPREY_REF_LOAD_H

#include "lib/error.h"

struct store;

int ref_load_dir(struct store *st, const char *dir, struct error *err);

#endif
