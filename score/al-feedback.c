/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-quality"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "al-catalog.h"
#include "al-feedback.h"

/* English source strings are gettext msgids (extracted with N_ and NC_);
 * their Dutch text lives in po/nl.po. Rendering looks them up per call in
 * the requested language's catalog, so one server can answer a Dutch and an
 * English participant at the same time. Both languages put the plural
 * boundary at n != 1, so a message has a "one" and an "other" string.
 * Placeholders are {name}, filled from the feedback parameters. */
typedef struct
{
  const char *code;
  const char *one;    /* used when the "count" parameter is 1 */
  const char *other;  /* otherwise, and for messages without a count */
} Message;

static const Message messages[] = {
  /* Transcripts: what went well. */
  { "all_words_right", NULL, N_("You typed every word right.") },
  { "words_right", NULL, N_("You got {count} of the {total} words right.") },
  { "good_start", NULL, N_("The first {count} words were exactly right.") },
  { "no_extra_words", NULL, N_("You added no words that were not said.") },
  { "kept_going", NULL, N_("You kept going and finished the task.") },
  /* Transcripts: one tip. */
  { "nothing_typed", NULL,
    N_("Nothing was typed yet. Play the fragment and type the words you hear.") },
  { "missing_words_at_end",
    N_("At the end, one word was missing; listen to the last part again at half speed."),
    N_("At the end, {count} words were missing; listen to the last part again at half speed.") },
  { "missing_words_at_start",
    N_("At the start, one word was missing; listen to the first seconds again."),
    N_("At the start, {count} words were missing; listen to the first seconds again.") },
  { "missing_words",
    N_("One word was missing. Pause the fragment more often while you type."),
    N_("{count} words were missing. Pause the fragment more often while you type.") },
  { "extra_words",
    N_("You typed one word that was not said. Type only what you hear."),
    N_("You typed {count} words that were not said. Type only what you hear.") },
  { "check_spelling", NULL,
    N_("Check the spelling of “{word}”: you typed “{typed}”.") },
  { "misheard_word", NULL,
    N_("Where you typed “{typed}”, the speaker said “{word}”. Listen to that spot again.") },
  /* Boxes: what went well. */
  { "all_objects_found", NULL, N_("You found every object.") },
  { "labels_right", NULL, N_("You chose the right label for every box.") },
  { "boxes_tight", NULL, N_("Your boxes fit the objects closely.") },
  { "no_extra_boxes", NULL, N_("You drew no boxes where there was nothing.") },
  /* Boxes: one tip. */
  { "no_boxes", NULL, N_("No boxes were drawn yet. Draw a box around each object you see.") },
  { "missed_object",
    N_("There is still a {label} without a box. Look over the whole picture once more."),
    N_("There are still {count} objects ({label}) without a box. Look over the whole picture once more.") },
  { "extra_box",
    N_("There was a box where there is no object."),
    N_("There were {count} boxes where there is no object.") },
  { "wrong_label", NULL, N_("The box around the {expected} had the label “{label}”.") },
  { "box_too_loose_left", NULL,
    N_("The box around the {label} was a little too wide on the left side (about {pixels} pixels).") },
  { "box_too_loose_right", NULL,
    N_("The box around the {label} was a little too wide on the right side (about {pixels} pixels).") },
  { "box_too_loose_top", NULL,
    N_("The box around the {label} was a little too high at the top (about {pixels} pixels).") },
  { "box_too_loose_bottom", NULL,
    N_("The box around the {label} was a little too low at the bottom (about {pixels} pixels).") },
  { "box_too_tight_left", NULL,
    N_("The box around the {label} cut off a little on the left side (about {pixels} pixels).") },
  { "box_too_tight_right", NULL,
    N_("The box around the {label} cut off a little on the right side (about {pixels} pixels).") },
  { "box_too_tight_top", NULL,
    N_("The box around the {label} cut off a little at the top (about {pixels} pixels).") },
  { "box_too_tight_bottom", NULL,
    N_("The box around the {label} cut off a little at the bottom (about {pixels} pixels).") },
  { "box_too_small", NULL,
    N_("The box around the {label} was too small: make it larger until the whole {label} is inside.") },
  { "box_too_large", NULL,
    N_("The box around the {label} was too large: make it smaller until it just fits around the {label}.") },
  { "box_shifted_left", NULL,
    N_("The box around the {label} was too far to the left: move it to the right.") },
  { "box_shifted_right", NULL,
    N_("The box around the {label} was too far to the right: move it to the left.") },
  { "box_shifted_up", NULL,
    N_("The box around the {label} was too high: move it down.") },
  { "box_shifted_down", NULL,
    N_("The box around the {label} was too low: move it up.") },
  /* Classification: what went well. */
  { "right_choice", NULL, N_("You chose the right answer: “{choice}”.") },
  { "question_answered", NULL, N_("You answered the question.") },
  { "all_choices_right", NULL, N_("You were right about every choice.") },
  { "choices_agree", NULL, N_("You were right about {count} of the {total} choices.") },
  /* Classification: one tip, naming the expected choice. */
  { "expected_choice", NULL,
    N_("The expected answer was “{expected}”; you chose “{chosen}”.") },
  { "missed_choice", NULL,
    N_("“{choice}” also applied. The expected answer was: {expected}.") },
  { "extra_choice", NULL,
    N_("“{choice}” did not apply. The expected answer was: {expected}.") },
  { "extra_choice_none", NULL,
    N_("“{choice}” did not apply: none of the choices applied here.") },
  /* Subtitle review. */
  { "right_verdict", NULL, N_("Your judgement of the cue was right.") },
  { "cue_reviewed", NULL, N_("You reviewed the cue.") },
  { "cue_was_right", NULL, N_("This cue was right as it stood.") },
  { "cue_text_wrong", NULL, N_("The words of this cue were wrong.") },
  { "cue_timing_wrong", NULL, N_("The timing of this cue was wrong.") },
  { "cue_expected_text", NULL, N_("The cue should read: “{expected}”.") },
  /* Boxes on video. */
  { "tracks_followed", NULL, N_("Your boxes followed every object on every frame.") },
  { "tracks_share", NULL, N_("Your boxes fitted the objects well on {percent}% of the frames.") },
  { "track_missed", N_("The {label} had no box on one frame where it was in sight."),
    N_("The {label} had no box on {count} frames where it was in sight. Add a keyframe where it comes into sight.") },
  { "track_switched", N_("Once a box passed from one object to another: keep each object on its own track."),
    N_("{count} times a box passed from one object to another: keep each object on its own track.") },
  { "track_extra", N_("There was a box on one frame where no object was in sight."),
    N_("There were boxes on {count} frames where no object was in sight: mark the object as outside when it leaves.") },
  { "track_loose", NULL,
    N_("The boxes overlapped the objects by {percent}% on average: add keyframes where an object turns or changes size.") },
  /* Either kind. */
  { "keep_it_up", NULL, N_("Keep working this way.") },
};

static const char *const numbers[] = {
  NC_("number", "zero"), NC_("number", "one"), NC_("number", "two"), NC_("number", "three"),
  NC_("number", "four"), NC_("number", "five"), NC_("number", "six"), NC_("number", "seven"),
  NC_("number", "eight"), NC_("number", "nine"), NC_("number", "ten"),
};

static const Message *
find_message (const char *code)
{
  guint i;
  for (i = 0; i < G_N_ELEMENTS (messages); i++)
    if (g_strcmp0 (messages[i].code, code) == 0)
      return &messages[i];
  return NULL;
}

static char *
param_text (json_t     *item,
            const char *name,
            const char *language)
{
  json_t *v = json_object_get (item, name);

  if (json_is_string (v))
    return g_strdup (json_string_value (v));
  if (json_is_integer (v))
    {
      json_int_t n = json_integer_value (v);
      /* Small counts read better as words; pixels stay digits. */
      gboolean counted = g_str_equal (name, "count") || g_str_equal (name, "total");
      if (counted && n >= 0 && n < (json_int_t) G_N_ELEMENTS (numbers))
        return g_strdup (al_catalog_lookup (language, "number", numbers[n]));
      return g_strdup_printf ("%" JSON_INTEGER_FORMAT, n);
    }
  if (json_is_real (v))
    return g_strdup_printf ("%.0f", json_real_value (v));
  return g_strdup ("");
}

static char *
render_one (json_t     *item,
            const char *language)
{
  const char *code = json_string_value (json_object_get (item, "code"));
  g_autofree char *full_code = NULL;
  const Message *msg;
  const char *text;
  GString *out;
  const char *p;

  if (code == NULL)
    return NULL;
  /* Box tips carry the side as a parameter but read differently per side. */
  if ((g_str_has_prefix (code, "box_too_") || g_str_equal (code, "box_shifted"))
      && json_is_string (json_object_get (item, "side")))
    code = full_code = g_strdup_printf ("%s_%s", code,
                                        json_string_value (json_object_get (item, "side")));
  msg = find_message (code);
  if (msg == NULL)
    return NULL;

  text = msg->other;
  if (msg->one && json_integer_value (json_object_get (item, "count")) == 1)
    text = msg->one;
  text = al_catalog_lookup (language, NULL, text);

  out = g_string_new (NULL);
  for (p = text; *p;)
    {
      const char *close;
      if (*p == '{' && (close = strchr (p, '}')) != NULL && close - p < 32)
        {
          g_autofree char *name = g_strndup (p + 1, close - p - 1);
          g_autofree char *value = param_text (item, name, language);
          g_string_append (out, value);
          p = close + 1;
          continue;
        }
      g_string_append_c (out, *p++);
    }

  /* A sentence may start with a spelled-out number. */
  if (out->len > 0 && g_unichar_islower (g_utf8_get_char (out->str)))
    {
      gunichar up = g_unichar_toupper (g_utf8_get_char (out->str));
      char buf[8];
      int n = g_unichar_to_utf8 (up, buf);
      g_string_erase (out, 0, g_utf8_next_char (out->str) - out->str);
      g_string_insert_len (out, 0, buf, n);
    }
  return g_string_free (out, FALSE);
}

char *
al_feedback_render (json_t     *feedback,
                    const char *language)
{
  g_autofree char *well = NULL;
  g_autofree char *tip = NULL;

  g_return_val_if_fail (json_is_object (feedback), g_strdup (""));

  well = render_one (json_object_get (feedback, "well"), language);
  tip = render_one (json_object_get (feedback, "tip"), language);
  if (well && tip)
    return g_strconcat (well, " ", tip, NULL);
  return g_strdup (well ? well : tip ? tip : "");
}

char *
al_feedback_render_differences (json_t     *feedback,
                                const char *language)
{
  json_t *list = json_is_object (feedback) ? json_object_get (feedback, "differences") : NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  size_t i;
  json_t *item;

  json_array_foreach (list, i, item)
    {
      g_autofree char *line = render_one (item, language);
      if (line && *line)
        g_string_append_printf (out, "%s%s", out->len ? "\n" : "", line);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
