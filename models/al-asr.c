/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-models"

#include "config.h"

#include <pocketsphinx.h>
#include <string.h>

#include "al-asr.h"
#include "al-audio-decode.h"

G_DEFINE_QUARK (al-model-error-quark, al_model_error)

/* PocketSphinx's acoustic model wants 16 kHz; it gives 100 frames a second. */
#define ASR_RATE 16000
#define ASR_FRAMES_PER_SECOND 100.0

struct _AlAsr
{
  ps_decoder_t *ps;
};

gboolean
al_asr_has_language (const char *language)
{
  return g_strcmp0 (language, "en") == 0 || g_strcmp0 (language, "en-US") == 0 ||
         g_strcmp0 (language, "en-GB") == 0;
}

AlAsr *
al_asr_new (GError **error)
{
  g_autofree char *hmm = g_build_filename (AL_POCKETSPHINX_MODELDIR, "en-us", "en-us", NULL);
  g_autofree char *lm = g_build_filename (AL_POCKETSPHINX_MODELDIR, "en-us", "en-us.lm.bin", NULL);
  g_autofree char *dict = g_build_filename (AL_POCKETSPHINX_MODELDIR, "en-us",
                                            "cmudict-en-us.dict", NULL);
  cmd_ln_t *config;
  AlAsr *asr;

  if (!g_file_test (hmm, G_FILE_TEST_IS_DIR) || !g_file_test (lm, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, AL_MODEL_ERROR, AL_MODEL_ERROR_MISSING,
                   "the English PocketSphinx model is not installed (%s); install the Debian "
                   "package pocketsphinx-en-us", hmm);
      return NULL;
    }
  /* -bestpath gives the lattice that word posteriors (the confidences)
   * come from; its log goes nowhere, our messages say what matters. */
  config = cmd_ln_init (NULL, ps_args (), TRUE, "-hmm", hmm, "-lm", lm, "-dict", dict,
                        "-bestpath", "yes", "-logfn", "/dev/null", NULL);
  if (config == NULL)
    {
      g_set_error (error, AL_MODEL_ERROR, AL_MODEL_ERROR_MISSING,
                   "PocketSphinx refused its settings for the model in %s", hmm);
      return NULL;
    }
  asr = g_new0 (AlAsr, 1);
  asr->ps = ps_init (config);
  cmd_ln_free_r (config);
  if (asr->ps == NULL)
    {
      g_free (asr);
      g_set_error (error, AL_MODEL_ERROR, AL_MODEL_ERROR_MISSING,
                   "PocketSphinx could not load its English model from %s", hmm);
      return NULL;
    }
  return asr;
}

void
al_asr_free (AlAsr *asr)
{
  if (asr == NULL)
    return;
  ps_free (asr->ps);
  g_free (asr);
}

/* Fillers (<s>, <sil>, [NOISE]) are not words; "the(2)" is the second
 * pronunciation of "the". */
static char *
clean_word (const char *word)
{
  const char *paren;

  if (word == NULL || *word == '<' || *word == '[' || *word == '+')
    return NULL;
  paren = strchr (word, '(');
  return paren ? g_strndup (word, (gsize) (paren - word)) : g_strdup (word);
}

json_t *
al_asr_propose (AlAsr        *asr,
                const AlTask *task,
                GError      **error)
{
  g_autoptr (GArray) samples = NULL;
  g_autofree gint16 *pcm = NULL;
  g_autoptr (GString) text = g_string_new (NULL);
  json_t *words = json_array ();
  logmath_t *lmath;
  ps_seg_t *seg;
  gint32 score;

  g_return_val_if_fail (asr != NULL && task != NULL, NULL);

  samples = al_audio_decode (task->media, task->start, task->end, ASR_RATE, error);
  if (samples == NULL)
    {
      json_decref (words);
      return NULL;
    }
  pcm = g_new (gint16, samples->len + 1);
  for (guint i = 0; i < samples->len; i++)
    {
      float v = g_array_index (samples, float, i);
      pcm[i] = (gint16) CLAMP (v * 32767.0f, -32768.0f, 32767.0f);
    }
  ps_start_utt (asr->ps);
  ps_process_raw (asr->ps, pcm, samples->len, FALSE, TRUE);
  ps_end_utt (asr->ps);
  ps_get_hyp (asr->ps, &score);

  lmath = ps_get_logmath (asr->ps);
  for (seg = ps_seg_iter (asr->ps); seg; seg = ps_seg_next (seg))
    {
      g_autofree char *word = clean_word (ps_seg_word (seg));
      int sf = 0, ef = 0;
      gint32 ascr, lscr, lback;
      double confidence;

      if (word == NULL)
        continue;
      ps_seg_frames (seg, &sf, &ef);
      confidence = logmath_exp (lmath, ps_seg_prob (seg, &ascr, &lscr, &lback));
      json_array_append_new (words, json_pack ("{s:s,s:f,s:f,s:f}", "word", word,
                                               "confidence", CLAMP (confidence, 0.0, 1.0),
                                               "start", task->start + sf / ASR_FRAMES_PER_SECOND,
                                               "end", task->start + (ef + 1) / ASR_FRAMES_PER_SECOND));
      if (text->len)
        g_string_append_c (text, ' ');
      g_string_append (text, word);
    }
  return json_pack ("{s:s,s:s,s:s,s:o}", "model", "pocketsphinx", "version", AL_POCKETSPHINX_VERSION,
                    "text", text->str, "words", words);
}
