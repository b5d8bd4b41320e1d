/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* ROVER (Fiscus 1997) as crowd-kit implements it: the transcripts are
 * aligned one after another into a word transition network (unit costs;
 * a position that already holds an empty arc takes a deletion for free),
 * then each position votes; ties go to the longer word, then to the word
 * that sorts last. Empty arcs stand for deletions and are dropped from the
 * result. Returns a newly allocated string of space-separated words. */
char *al_rover_merge (const char *const *texts,
                      guint               n_texts);

/* Largest number of words per transcript al_rover_merge() aligns. */
#define AL_ROVER_MAX_WORDS 4096

G_END_DECLS
