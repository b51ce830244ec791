export { type AnswerCallbackFirstOptions, answerCallbackFirst } from './grammy/answer-callback-first.js';
