// UI strings in English and French, and how the widget picks one.

export const STRINGS = {
  en: {
    open: "Open the learning coach", title: "Learning coach", close: "Close the coach",
    you: "You:", coach: "Coach:",
    newChat: "New conversation", input: "Your question", placeholder: "Ask about your course…",
    send: "Send", hint: "Enter to send, Shift+Enter for a new line",
    welcome: "Hi{name}! Ask me anything about your courses.", writing: "The coach is writing…",
    sources: "Sources", source: "Source {n}: {label}", passage: "Cited passage",
    closePassage: "Close the passage", loading: "Loading…",
    passageFailed: "The passage could not be loaded.",
    suggestion: "Suggested module:",
    rate: "Was this answer helpful?", up: "Helpful", down: "Not helpful",
    comment: "Comment (optional)", sendComment: "Send comment",
    saved: "Thanks, your feedback was saved.", feedbackFailed: "Your feedback could not be saved.",
    expired: "Your session has expired. Reload the page to sign in again.",
    network: "Can't reach the coach. Check your connection, then retry.",
    failed: "Something went wrong: {detail}", retry: "Retry",
    quizMe: "Quiz me", check: "Check my understanding", quizTitle: "Quiz",
    quizProgress: "Question {n} of {total}", quizHint: "Give me a hint", quizAnswer: "Answer",
    quizRight: "Correct!", quizWrong: "Not quite.", quizCorrectAnswer: "The answer: {answer}",
    quizSource: "Source:", quizNext: "Next question", quizFinish: "See my score",
    quizScore: "You got {correct} of {total} right.", quizMastery: "Mastery now: {skills}",
    quizEmpty: "I could not build questions from this content yet.",
    myPath: "My path", pathTitle: "My learning path", pathBack: "Back to the chat",
    pathEmpty: "No approved path yet.", pathWeek: "Week of {date}", pathHours: "{hours} h",
    pathMeta: "{n} steps · {hours} h · {start} – {end}", pathSession: "Session: {session}",
    pathDeadline: "Due by {date}",
    "modality:e-learning": "E-learning", "modality:in-person": "In person",
    "modality:virtual": "Virtual class", "modality:coaching": "Coaching",
    "modality:on-the-job": "On the job",
  },
  fr: {
    open: "Ouvrir le coach d'apprentissage", title: "Coach d'apprentissage",
    close: "Fermer le coach", you: "Vous :", coach: "Coach :", newChat: "Nouvelle conversation",
    input: "Votre question",
    placeholder: "Posez une question sur votre cours…", send: "Envoyer",
    hint: "Entrée pour envoyer, Maj+Entrée pour aller à la ligne",
    welcome: "Bonjour{name} ! Posez-moi vos questions sur vos formations.",
    writing: "Le coach rédige sa réponse…", sources: "Sources", source: "Source {n} : {label}",
    passage: "Passage cité", closePassage: "Fermer le passage", loading: "Chargement…",
    passageFailed: "Impossible de charger le passage.",
    suggestion: "Module suggéré :", rate: "Cette réponse vous a-t-elle aidé ?",
    up: "Utile", down: "Pas utile", comment: "Commentaire (facultatif)",
    sendComment: "Envoyer le commentaire", saved: "Merci, votre avis est enregistré.",
    feedbackFailed: "Votre avis n'a pas pu être enregistré.",
    expired: "Votre session a expiré. Rechargez la page pour vous reconnecter.",
    network: "Impossible de joindre le coach. Vérifiez votre connexion, puis réessayez.",
    failed: "Une erreur est survenue : {detail}", retry: "Réessayer",
    quizMe: "Me tester", check: "Vérifier ce que j'ai compris", quizTitle: "Quiz",
    quizProgress: "Question {n} sur {total}", quizHint: "Un indice", quizAnswer: "Répondre",
    quizRight: "Bonne réponse !", quizWrong: "Pas tout à fait.",
    quizCorrectAnswer: "La réponse : {answer}", quizSource: "Source :",
    quizNext: "Question suivante", quizFinish: "Voir mon score",
    quizScore: "Vous avez {correct} bonne(s) réponse(s) sur {total}.",
    quizMastery: "Maîtrise : {skills}",
    quizEmpty: "Je n'ai pas encore pu construire de questions sur ce contenu.",
    myPath: "Mon parcours", pathTitle: "Mon parcours de formation",
    pathBack: "Revenir à la conversation", pathEmpty: "Pas encore de parcours validé.",
    pathWeek: "Semaine du {date}", pathHours: "{hours} h",
    pathMeta: "{n} étapes · {hours} h · du {start} au {end}", pathSession: "Session : {session}",
    pathDeadline: "À terminer avant le {date}",
    "modality:e-learning": "E-learning", "modality:in-person": "Présentiel",
    "modality:virtual": "Classe virtuelle", "modality:coaching": "Coaching",
    "modality:on-the-job": "En situation de travail",
  },
};

/** The first supported language among the candidates ("fr-CA" counts as "fr"). */
export function pickLang(...candidates) {
  for (const c of candidates) {
    const lang = String(c || "").slice(0, 2).toLowerCase();
    if (lang in STRINGS) return lang;
  }
  return "en";
}

